/**
 * The package's `lockstep` command as installed: `bin/lockstep.js` runs the headless peer that
 * `npm run build` compiles into out/cli/main.js. If that bundle is missing (or older than the
 * sources), it is built here first, with the project's own build script.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { is, ROOT, startListener, usePeers } from '../helpers/cli-peer';

const BUNDLE = join(ROOT, 'out/cli/main.js');
const BUILD_SCRIPT = join(ROOT, 'scripts/build.mjs');
const BIN = [process.execPath, join(ROOT, 'bin/lockstep.js')];

/** Newest modification time of the sources the bundle is made from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['main/cli', 'main/core', 'shared']) walk(join(ROOT, dir));
  return newest;
}

const noBuildScript = !existsSync(BUILD_SCRIPT);
if (noBuildScript) console.warn('Skipping the built-command tests: scripts/build.mjs (which makes out/cli/main.js) does not exist.');

/** A Node.js on PATH without Node-API 10 (on these machines Debian's Node 20), if there is one. */
function nodeWithoutNodeApi10(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const node = join(dir, 'node');
    if (!existsSync(node)) continue;
    const napi = spawnSync(node, ['-p', 'process.versions.napi'], { encoding: 'utf8' });
    if (napi.status === 0 && Number(napi.stdout) < 10) return node;
  }
  return null;
}
const OLD_NODE = nodeWithoutNodeApi10();
if (!OLD_NODE) console.warn('Skipping the old-runtime test of `lockstep`: no Node.js without Node-API 10 on PATH.');

describe.skipIf(noBuildScript)('the built `lockstep` command (bin/lockstep.js → out/cli/main.js)', () => {
  const peers = usePeers();

  beforeAll(() => {
    if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newestSource()) return;
    const why = existsSync(BUNDLE) ? 'older than the sources' : 'missing';
    const build = spawnSync(process.execPath, [BUILD_SCRIPT, 'cli'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0 || !existsSync(BUNDLE)) {
      throw new Error(`out/cli/main.js was ${why}, and \`node scripts/build.mjs cli\` failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
    }
  }, 120_000);

  it('`lockstep id --json` creates the identity, and prints the same one on the next run', async () => {
    const dir = peers.profile('bin');
    const first = peers.spawn(['id', '--json', '--profile-dir', dir, '--name', 'Binny'], { command: BIN, label: 'lockstep id' });
    const one = await first.next(is.type('identity'), 'the identity record');
    expect(await first.waitExit()).toEqual({ code: 0, signal: null });
    expect(one).toMatchObject({ type: 'identity', name: 'Binny', profileDir: dir });
    expect(first.nonJson).toEqual([]);

    const again = peers.spawn(['id', '--json', '--profile-dir', dir], { command: BIN, label: 'lockstep id (again)' });
    expect(await again.next(is.type('identity'), 'the identity record')).toEqual(one);
    expect(await again.waitExit()).toEqual({ code: 0, signal: null });
  });

  it('the built peer and the one run from source chat with each other', async () => {
    const listener = await startListener(peers, peers.profile('built'), 'Built', ['--accept-new'], { command: BIN });
    const dialer = peers.spawn(['connect', listener.address, '--pin', listener.pin, '--json', '--profile-dir', peers.profile('source'), '--name', 'Source'], { label: 'Source' });
    dialer.write('from source to bundle');
    await listener.peer.next(is.message('from source to bundle'), 'the message at the built listener');
    const queued = await dialer.next(is.type('queued'), 'the "queued" record');
    await dialer.next(is.delivered(queued.id), 'the "delivered" record');
    listener.peer.write('from bundle to source');
    await dialer.next(is.message('from bundle to source'), 'the reply at the source dialer');
    const reply = await listener.peer.next(is.type('queued'), 'the reply\'s "queued" record');
    await listener.peer.next(is.delivered(reply.id), 'the reply\'s "delivered" record');
    dialer.end();
    expect(await dialer.waitExit()).toEqual({ code: 0, signal: null });
    listener.peer.end();
    expect(await listener.peer.waitExit()).toEqual({ code: 0, signal: null });
    expect(listener.peer.nonJson).toEqual([]);
  }, 90_000);

  it.skipIf(!OLD_NODE)('on a Node.js without Node-API 10 it says so (UNSUPPORTED_RUNTIME), where the database module would crash it', () => {
    // Without the check, Node 20 loads better-sqlite3 and dies of SIGSEGV on the first query.
    const dir = peers.profile('old-node');
    const human = spawnSync(OLD_NODE!, [join(ROOT, 'bin/lockstep.js'), 'id', '--profile-dir', dir, '--name', 'Old'], { encoding: 'utf8' });
    expect({ status: human.status, signal: human.signal }).toEqual({ status: 1, signal: null });
    expect(human.stderr).toMatch(/^error UNSUPPORTED_RUNTIME: .*Node-API 10/);
    const json = spawnSync(OLD_NODE!, [join(ROOT, 'bin/lockstep.js'), 'id', '--json', '--profile-dir', dir], { encoding: 'utf8' });
    expect(JSON.parse(json.stdout)).toMatchObject({ type: 'error', code: 'UNSUPPORTED_RUNTIME' });
    expect(json.status).toBe(1);
    expect(existsSync(join(dir, 'identity.json')), 'nothing was made in the profile').toBe(false);
  });

  it('a usage error from the built command exits 2 with the usage, no stack trace', async () => {
    const bad = peers.spawn(['frobnicate'], { command: BIN, label: 'lockstep frobnicate' });
    expect((await bad.waitExit()).code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: lockstep/);
    expect(bad.stderr).not.toMatch(/^\s+at\s/m);
  });
});
