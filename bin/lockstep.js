#!/usr/bin/env node
// The package's `lockstep` command: the headless peer, compiled by `npm run build` into out/cli.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write('lockstep: the headless peer is not built yet. Run `npm run build` (or use `npm run peer -- <command>`).\n');
  process.exit(2);
}
await import(compiled);
