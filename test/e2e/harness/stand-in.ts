/**
 * Where the app under test comes from: the project's own build (`npm run build`: out/main,
 * out/preload, out/renderer) laid out as Electron would run it from a folder — package.json
 * beside `out/` — and the stand-in for Electron (main/electron/testing/stand-in/) bundled next to
 * it. Built once per test file. The main bundle is copied byte for byte (so it finds this folder
 * as its own `out/`); the preload and renderer are the build's own files.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { build } from 'esbuild';

import { ROOT } from './paths';

const STAND_IN = join(ROOT, 'main', 'electron', 'testing', 'stand-in');

export interface AppBuild {
  /** The app folder (package.json, out/, node_modules). */
  dir: string;
  /** out/main/index.js in it. */
  main: string;
  /** `--import` this to resolve `electron` to the stand-in. */
  register: string;
  /** The stand-in bundle's file URL (LOCKSTEP_STAND_IN). */
  standIn: string;
  remove(): void;
}

let current: AppBuild | null = null;

export async function appBuild(): Promise<AppBuild> {
  if (current) return current;
  const out = join(ROOT, 'out');
  for (const part of ['main/index.js', 'preload/preload.cjs', 'renderer/index.html']) {
    if (!existsSync(join(out, part))) throw new Error(`No ${part} in out/: run \`npm run build\` first.`);
  }
  const work = mkdtempSync(join(tmpdir(), 'lockstep-app-'));
  const dir = join(work, 'app');
  mkdirSync(join(dir, 'out', 'main'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  for (const file of readdirSync(join(out, 'main'))) copyFileSync(join(out, 'main', file), join(dir, 'out', 'main', file));
  symlinkSync(join(out, 'preload'), join(dir, 'out', 'preload'));
  symlinkSync(join(out, 'renderer'), join(dir, 'out', 'renderer'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // In Node the engine loads node_modules' own (Node ABI) better-sqlite3 from where Electron's build goes.
  mkdirSync(join(dir, 'out', 'native', 'electron'), { recursive: true });
  copyFileSync(nodeSqliteBinding(), join(dir, 'out', 'native', 'electron', 'better_sqlite3.node'));

  const standIn = join(work, 'stand-in', 'electron.mjs');
  await build({
    entryPoints: [join(STAND_IN, 'electron.ts')],
    outfile: standIn,
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['playwright-core'],
    logLevel: 'silent',
  });
  copyFileSync(join(STAND_IN, 'register.mjs'), join(work, 'stand-in', 'register.mjs'));
  // The bundle imports playwright-core: resolve it from the project's node_modules.
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'stand-in', 'node_modules'));
  current = {
    dir,
    main: join(dir, 'out', 'main', 'index.js'),
    register: pathToFileURL(join(work, 'stand-in', 'register.mjs')).href,
    standIn: pathToFileURL(standIn).href,
    remove: () => {
      current = null;
      rmSync(work, { recursive: true, force: true });
    },
  };
  return current;
}

function nodeSqliteBinding(): string {
  const sqlite = join(ROOT, 'node_modules', 'better-sqlite3');
  const local = join(sqlite, 'build', 'Release', 'better_sqlite3.node');
  return existsSync(local) ? local : join(sqlite, 'prebuilds', `${process.platform}-${process.arch}.node`);
}
