/**
 * better-sqlite3 in node_modules stays built for Node (tests, the headless peer). Inside
 * Electron the engine loads a second build, made for Electron's ABI by `npm start` / `npm run
 * dist`, from its own place, so the two runtimes never fight over one `.node` file.
 */
import { join, sep } from 'node:path';

/** Where the Electron build lives, relative to the build output directory (`out/`). */
export const ELECTRON_BINDING = join('native', 'electron', 'better_sqlite3.node');

/**
 * The binding's path for a build output directory. In a packaged app that directory is inside
 * `app.asar`, but a native module cannot be loaded from an archive: electron-builder unpacks
 * `*.node` (asarUnpack) next to it, in `app.asar.unpacked`.
 */
export function nativeBindingPath(outDir: string): string {
  const path = join(outDir, ELECTRON_BINDING);
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}
