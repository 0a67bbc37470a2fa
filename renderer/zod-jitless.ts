/**
 * Zod probes for eval (`new Function`) when it builds its first object schema. Under this page's
 * CSP (script-src 'self') the probe is reported as a violation even though zod catches the throw.
 * The renderer imports shared/ (which builds the IPC schemas) only for constants, so switch the
 * JIT off before shared/ is evaluated: main.tsx imports this module first.
 */
import { config } from 'zod';

config({ jitless: true });
