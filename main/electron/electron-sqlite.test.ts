/**
 * Where `npm start` gets Electron's better-sqlite3 (scripts/electron-sqlite.mjs): the package's
 * own prebuilt binary first, then a published one for Electron's ABI, and only then a build from
 * source, saying why. Real files in a temp folder (a copy of the installed package, with or
 * without its prebuilds), real child processes loading the binary, real fetches that fail: to a
 * closed loopback port, and, where the network can be cut, to the real release host. The
 * runtime the binary must load in is Node here (the Electron binary cannot be had on this
 * machine); Node-API makes it the same test.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { type Choice, choosePrebuilt, describeChoice, prebuildTarget, releaseAssetUrl } from '../../scripts/electron-sqlite.mjs';

const root = join(import.meta.dirname, '..', '..');
const installed = join(root, 'node_modules', 'better-sqlite3');
const version = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string }).version;
const target = prebuildTarget();
const node = { exec: process.execPath, env: { ...process.env }, name: 'this Node' };
const ids = { electron: '45.5.0', betterSqlite3: version };

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A copy of the installed package: its JavaScript, and the prebuilds asked for. */
function packageCopy(prebuilds: 'real' | 'none' | 'broken') {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-sqlite-choice-'));
  dirs.push(dir);
  const sqliteDir = join(dir, 'better-sqlite3');
  cpSync(join(installed, 'lib'), join(sqliteDir, 'lib'), { recursive: true });
  cpSync(join(installed, 'package.json'), join(sqliteDir, 'package.json'));
  mkdirSync(join(sqliteDir, 'prebuilds'));
  if (prebuilds === 'real') cpSync(join(installed, 'prebuilds', `${target}.node`), join(sqliteDir, 'prebuilds', `${target}.node`));
  if (prebuilds === 'broken') writeFileSync(join(sqliteDir, 'prebuilds', `${target}.node`), 'not a shared object');
  return { sqliteDir, nativeBinding: join(dir, 'out', 'native', 'electron', 'better_sqlite3.node') };
}

/** A loopback port nothing listens on: a fetch there fails at once, like an offline machine's. */
async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A release host serving one asset, as GitHub would: build/Release/better_sqlite3.node in a .tar.gz. */
async function releaseHost(binary: string): Promise<{ host: string; asked: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-sqlite-asset-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  cpSync(binary, join(dir, 'build', 'Release', 'better_sqlite3.node'));
  expect(spawnSync('tar', ['-czf', join(dir, 'asset.tar.gz'), '-C', dir, 'build']).status).toBe(0);
  const asset = readFileSync(join(dir, 'asset.tar.gz'));
  const asked: string[] = [];
  const s = createServer((req, res) => {
    asked.push(req.url ?? '');
    const wanted = new URL(releaseAssetUrl({ host: 'http://x/releases', version, abi: process.versions.modules, target })).pathname;
    if (req.url !== wanted) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(asset);
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { host: `http://127.0.0.1:${(s.address() as AddressInfo).port}/releases`, asked };
}

const loads = (binary: string) =>
  spawnSync(process.execPath, ['-e', `const D = require(${JSON.stringify(join(installed, 'lib'))}); new D(':memory:', { nativeBinding: ${JSON.stringify(binary)} }).close()`]).status === 0;

describe('Electron\'s better-sqlite3: prebuilt first, source last', () => {
  it('takes the package\'s own prebuilt binary when it loads in the runtime, and fetches nothing', async () => {
    const pkg = packageCopy('real');
    const choice = (await choosePrebuilt({ ...pkg, runtime: node, target, releaseHost: await closedPort() }));
    expect(choice).toEqual({ source: 'prebuild', from: `prebuilds/${target}.node`, reasons: [] });
    expect(loads(pkg.nativeBinding)).toBe(true);
    expect(describeChoice(choice, ids)).toMatch(/using the package's prebuilt Node-API binary .*no compiler needed/);
  });

  it('offline with no prebuilt binary for the platform: the source build is chosen, and the message says both reasons', async () => {
    const pkg = packageCopy('none');
    const host = await closedPort();
    const choice = (await choosePrebuilt({ ...pkg, runtime: node, target, releaseHost: host }));
    expect(choice.source).toBe('source');
    expect(existsSync(pkg.nativeBinding)).toBe(false);
    expect(choice.reasons).toHaveLength(2);
    expect(choice.reasons[0]).toBe(`better-sqlite3 ${version} ships no prebuilt binary for ${target}`);
    expect(choice.reasons[1]).toContain(`${host}/download/v${version}/better-sqlite3-v${version}-electron-v${process.versions.modules}-${target}.tar.gz`);
    expect(choice.reasons[1]).toContain('ECONNREFUSED');
    const message = describeChoice(choice, ids);
    expect(message).toMatch(/building from source, which needs a C\+\+ toolchain/);
    expect(message).toContain('ships no prebuilt binary');
    expect(message).toContain('ECONNREFUSED');
  });

  it('a prebuilt binary that does not load is not used: the reason names the load failure', async () => {
    const pkg = packageCopy('broken');
    const choice = (await choosePrebuilt({ ...pkg, runtime: node, target, releaseHost: await closedPort() }));
    expect(choice.source).toBe('source');
    expect(choice.reasons[0]).toMatch(new RegExp(`^its prebuilt binary for ${target} did not load in this Node \\(.+\\)$`));
    expect(existsSync(pkg.nativeBinding)).toBe(false);
  });

  it('without a usable own prebuild, the published binary for the runtime\'s ABI is fetched, checked and used', async () => {
    const pkg = packageCopy('none');
    const { host, asked } = await releaseHost(join(installed, 'prebuilds', `${target}.node`));
    const choice = (await choosePrebuilt({ ...pkg, runtime: node, target, releaseHost: host }));
    expect(choice.source).toBe('download');
    expect(asked).toEqual([`/releases/download/v${version}/better-sqlite3-v${version}-electron-v${process.versions.modules}-${target}.tar.gz`]);
    expect(loads(pkg.nativeBinding)).toBe(true);
    expect(describeChoice(choice, ids)).toMatch(/using the published binary .* \(better-sqlite3 .* ships no prebuilt binary/);
  });
});

const cut = spawnSync('unshare', ['-n', 'true']);
const canCutNetwork = !cut.error && cut.status === 0;
if (!canCutNetwork) console.log('electron-sqlite offline check against the real release host skipped: `unshare -n` is not permitted here');

describe.skipIf(!canCutNetwork)('with the network cut', () => {
  it('the fetch from the package\'s real release host fails, and the source build is chosen with that reason', () => {
    const pkg = packageCopy('none');
    const script = `import { choosePrebuilt } from ${JSON.stringify(pathToFileURL(join(root, 'scripts', 'electron-sqlite.mjs')).href)};
      const runtime = { exec: process.execPath, env: process.env, name: 'this Node' };
      console.log(JSON.stringify(await choosePrebuilt({ ...${JSON.stringify(pkg)}, runtime, target: ${JSON.stringify(target)} })));`;
    const run = spawnSync('unshare', ['-n', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const choice = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Choice;
    expect(choice.source).toBe('source');
    expect(choice.reasons[1]).toMatch(/^no published binary for this Node's ABI \d+: fetching https:\/\/github\.com\/WiseLibs\/better-sqlite3\/releases\/download\/.+ failed \(.+\)$/);
  });
});
