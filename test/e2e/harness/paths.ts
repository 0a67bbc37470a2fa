/** Where the project and the test artefacts are. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const ARTIFACTS = join(ROOT, 'test-artifacts');
