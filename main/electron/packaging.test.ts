/**
 * Packs the app for real with electron-builder (`--dir`, Linux), using a stand-in Electron that
 * carries only the fuse wire (the real binary cannot be downloaded here) and a stand-in out/. It
 * proves what the schema check cannot: what lands in app.asar, what is unpacked, and that the
 * fuses are flipped in the shipped binary.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults, in FuseV1Options order: run-as-node, cookie encryption, NODE_OPTIONS, inspect, asar integrity, only asar, V8 snapshot, file privileges. */
const DEFAULT_WIRE = '10110001';

const canRun = process.platform === 'linux';
let work = '';
let output = '';

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function standInElectron(dir: string): void {
  const wire = Buffer.concat([Buffer.from(`#!/bin/sh\n# stand-in\n${SENTINEL}`), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE)]);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  write(join(dir, 'version'), `v${electronVersion()}`);
  write(join(dir, 'LICENSE'), 'MIT');
  write(join(dir, 'LICENSES.chromium.html'), '');
  mkdirSync(join(dir, 'resources'));
}

function electronVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
}

function standInOut(dir: string): void {
  for (const file of ['main/index.js', 'main/index.js.map', 'preload/preload.cjs', 'renderer/index.html', 'renderer/assets/app.js', 'native/electron/better_sqlite3.node', 'native/electron/build.json', 'native/electron/build-failure.log']) {
    write(join(dir, 'out', file), '//');
  }
}

/** Cut the network where we can: packaging must not need it, and must not try. */
function offline(command: string[]): string[] {
  const probe = spawnSync('unshare', ['-n', 'true']);
  return probe.status === 0 ? ['unshare', '-n', ...command] : command;
}

beforeAll(() => {
  if (!canRun) return;
  work = mkdtempSync(join(tmpdir(), 'lockstep-pack-'));
  for (const file of ['package.json', 'electron-builder.yml']) copyFileSync(join(root, file), join(work, file));
  symlinkSync(join(root, 'build'), join(work, 'build'));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  standInOut(work);
  standInElectron(join(work, 'electron-dist'));
  const [command, ...args] = offline([process.execPath, join(root, 'node_modules/electron-builder/cli.js'), '--dir', '--linux', '--x64',
    `-c.electronDist=${join(work, 'electron-dist')}`, `-c.electronVersion=${electronVersion()}`]);
  const run = spawnSync(command as string, args, { cwd: work, encoding: 'utf8', timeout: 150_000 });
  output = join(work, 'release', 'linux-unpacked');
  if (run.status !== 0) throw new Error(`electron-builder failed:\n${run.stdout}\n${run.stderr}`);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!canRun)('the packaged app (stand-in Electron)', () => {
  it('holds only the built app, better-sqlite3\'s JavaScript and sodium-native\'s binary for the target in app.asar', () => {
    const files = listPackage(join(output, 'resources', 'app.asar'), { isPack: false }).map((path) => path.replace(/\\/g, '/'));
    const leaves = files.filter((path) => !files.some((other) => other.startsWith(`${path}/`)));
    expect(leaves.filter((path) => !path.startsWith('/node_modules/better-sqlite3/lib/')).sort()).toEqual([
      '/node_modules/better-sqlite3/package.json',
      '/node_modules/sodium-native/package.json',
      '/node_modules/sodium-native/prebuilds/linux-x64/sodium-native.node',
      '/out/main/index.js',
      '/out/native/electron/better_sqlite3.node',
      '/out/preload/preload.cjs',
      '/out/renderer/assets/app.js',
      '/out/renderer/index.html',
      '/package.json',
    ]);
    expect(leaves).toContain('/node_modules/better-sqlite3/lib/database.js');
  });

  it('unpacks the native modules next to the archive, where native-binding.ts and row-aead.ts load them', () => {
    expect(existsSync(join(output, 'resources', 'app.asar.unpacked', 'out', 'native', 'electron', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(output, 'resources', 'app.asar.unpacked', 'node_modules', 'sodium-native', 'prebuilds', 'linux-x64', 'sodium-native.node'))).toBe(true);
  });

  it('flips the fuses in the shipped binary', () => {
    const binary = readFileSync(join(output, 'lockstep'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    const wire = binary.subarray(at + 2, at + 2 + DEFAULT_WIRE.length).toString('ascii');
    // run-as-node off, cookies encrypted, NODE_OPTIONS and --inspect off, asar integrity on, only asar, snapshot untouched, file:// plain.
    expect(wire).toBe('01001100');
  });
});
