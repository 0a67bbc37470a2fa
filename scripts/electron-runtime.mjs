// What `npm start` and `npm run dist` need beyond the build: the Electron binary, and
// better-sqlite3 for Electron's ABI in out/native/electron/ (a prebuilt binary that loads in
// Electron where there is one, else built from source; node_modules keeps the copy for Node,
// used by the tests and the headless peer). Both come from the network on first use;
// each failure is returned with its cause, never thrown as a stack.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { choosePrebuilt, describeChoice } from './electron-sqlite.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronDir = dirname(require.resolve('electron/package.json'));
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));

export const nativeDir = join(root, 'out', 'native', 'electron');
export const nativeBinding = join(nativeDir, 'better_sqlite3.node');
const nativeStamp = join(nativeDir, 'build.json');

export function electronVersion() {
  return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
}

/** The binary if it is already on disk, found the way electron's index.js finds it — without its download. */
export function installedElectronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative || 'electron') : join(electronDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/**
 * The binary, downloading it first if needed (what `require('electron')` does on first use),
 * in a child process so the download's own stack trace stays out of the user's terminal.
 */
export function obtainElectronBinary() {
  const installed = installedElectronBinary();
  if (installed) return { ok: true, path: installed };
  console.log(`Downloading Electron ${electronVersion()} (first start only)…`);
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const path = probe.status === 0 ? probe.stdout.trim() : '';
  if (path && existsSync(path)) return { ok: true, path };
  const cause = firstErrorLine(probe);
  const network = /fetch failed|ENOTFOUND|EAI_AGAIN|ENETUNREACH|ECONNREFUSED|ETIMEDOUT|timed out/i.test(cause);
  const hint = network ? "; is there network access to Electron's download servers?" : '';
  return { ok: false, cause: `the Electron ${electronVersion()} binary is not installed and downloading it failed (${cause}${hint})` };
}

/**
 * better-sqlite3 for Electron in out/native/electron/, unless the one there was made for this
 * Electron, package version and platform already. A prebuilt binary that loads in Electron comes
 * first (electron-sqlite.mjs); only when there is none is it built from source. `electronPath`:
 * the Electron binary (null when there is none here: nothing can be checked, so from source).
 * Resolves with which way it came (`source`) and a sentence saying so and why (`message`).
 */
export async function ensureElectronSqlite(electronPath) {
  const wanted = nativeBuildId();
  const stamp = readStamp();
  if (existsSync(nativeBinding) && stamp && sameBuild(stamp, wanted)) {
    return { ok: true, source: 'cached', message: `better-sqlite3 for Electron ${wanted.electron}: already in ${nativeDir} (${stamp.source ?? 'source'}).` };
  }
  const runtime = electronPath && { exec: electronPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, name: `Electron ${wanted.electron}` };
  const choice = runtime
    ? await choosePrebuilt({ sqliteDir, nativeBinding, runtime })
    : { source: 'source', reasons: ['Electron is not installed here, so no prebuilt binary could be checked against it'] };
  const message = describeChoice(choice, wanted);
  if (choice.source !== 'source') {
    writeFileSync(nativeStamp, JSON.stringify({ ...wanted, source: choice.source }));
    return { ok: true, source: choice.source, message };
  }
  console.log(message);
  const built = buildFromSource(wanted);
  return built.ok ? { ...built, source: 'source', message } : built;
}

function buildFromSource(wanted) {
  const work = mkdtempSync(join(tmpdir(), 'lockstep-sqlite-electron-'));
  try {
    const source = join(work, 'better-sqlite3');
    // A copy, so node_modules/better-sqlite3/build (Node's ABI) is never touched.
    cpSync(sqliteDir, source, { recursive: true, filter: (path) => !path.startsWith(join(sqliteDir, 'build')) });
    const gyp = spawnSync(process.execPath, [nodeGyp(), 'rebuild', '--release', '--jobs=max', '--runtime=electron',
      `--target=${wanted.electron}`, '--dist-url=https://electronjs.org/headers'], { cwd: source, encoding: 'utf8' });
    if (gyp.status !== 0) return { ok: false, cause: gypCause(gyp), log: saveLog(gyp) };
    mkdirSync(nativeDir, { recursive: true });
    cpSync(join(source, 'build', 'Release', 'better_sqlite3.node'), nativeBinding);
    writeFileSync(nativeStamp, JSON.stringify({ ...wanted, source: 'source' }));
    rmSync(join(nativeDir, 'build-failure.log'), { force: true });
    return { ok: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The stamp was made for this Electron, package version and platform (however the binary came). */
function sameBuild(stamp, wanted) {
  return Object.entries(wanted).every(([key, value]) => stamp[key] === value);
}

function nativeBuildId() {
  const sqlite = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
  return { electron: electronVersion(), betterSqlite3: sqlite, platform: process.platform, arch: process.arch };
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(nativeStamp, 'utf8'));
  } catch {
    return null;
  }
}

function nodeGyp() {
  return join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
}

/** node-gyp's reason, in one line: most often that Electron's headers could not be downloaded. */
function gypCause(result) {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n');
  const error = lines.find((line) => /^gyp ERR! stack \w*Error/.test(line)) ?? lines.find((line) => /\berror:|Error:/.test(line));
  const reason = (error ?? lines.filter(Boolean).at(-1) ?? 'no output').replace(/^gyp ERR! (stack )?/, '').trim();
  if (/ENOTFOUND|EAI_AGAIN|ENETUNREACH|ECONNREFUSED|ETIMEDOUT|fetch failed|headers/i.test(reason)) {
    return `node-gyp could not download Electron's headers, which the build needs (${reason})`;
  }
  if (result.error) return `node-gyp could not run: ${result.error.message}`;
  return `node-gyp failed: ${reason}`;
}

function saveLog(result) {
  mkdirSync(nativeDir, { recursive: true });
  const log = join(nativeDir, 'build-failure.log');
  writeFileSync(log, `${result.stdout}\n${result.stderr}`);
  return log;
}

/** The first line that names an error, without the stack under it. */
function firstErrorLine(result) {
  if (result.error) return result.error.code === 'ETIMEDOUT' ? 'it timed out' : result.error.message;
  const lines = `${result.stderr}`.split('\n').map((line) => line.trim());
  const error = lines.find((line) => /^\w*Error\b/.test(line) && !/failed to install correctly/.test(line));
  return (error ?? lines.find((line) => /Error/.test(line)) ?? `exit code ${result.status}`).replace(/^\w*Error: /, '');
}
