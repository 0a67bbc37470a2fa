/**
 * The built main process, run in plain Node against the real engine, with `electron` resolved to
 * a stand-in (testing/fake-electron.ts) by a module hook. This checks what the unit tests of the
 * parts cannot: that main.ts wires them together — per-profile paths, protocol, session guards,
 * the window, every IPC channel, the shell's own calls, event forwarding and a clean quit — and
 * that the ESM bundle loads at all.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { channelOf, contract, EVENTS_CHANNEL, type ChannelName } from '../../shared/ipc-contract';
import { contentSecurityPolicy } from './content-security-policy';

const root = join(import.meta.dirname, '..', '..');
let work = '';
let report: Record<string, unknown> = {};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lockstep-wiring-'));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'main', '--out', join(work, 'out')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`);
  // In plain Node the engine loads node_modules' own (Node ABI) build from where Electron's would be.
  mkdirSync(join(work, 'out/native/electron'), { recursive: true });
  // better-sqlite3 ships Node-API prebuilds inside its package; a local source build wins if present.
  const sqlite = join(root, 'node_modules/better-sqlite3');
  const local = join(sqlite, 'build/Release/better_sqlite3.node');
  const binary = existsSync(local) ? local : join(sqlite, 'prebuilds', `${process.platform}-${process.arch}.node`);
  copyFileSync(binary, join(work, 'out/native/electron/better_sqlite3.node'));
  await build({ entryPoints: [join(import.meta.dirname, 'testing/fake-electron.ts')], outfile: join(work, 'fake-electron.mjs'), format: 'esm', platform: 'node', logLevel: 'silent' });
  const fake = pathToFileURL(join(work, 'fake-electron.mjs')).href;
  writeFileSync(join(work, 'hooks.mjs'), `export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(fake)}, shortCircuit: true } : next(s, c); }\n`);
  writeFileSync(join(work, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  const port = await freePort();
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(work, 'register.mjs')).href, join(work, 'out/main/index.js'), '--profile', 'wiring', '--port', String(port)], {
    encoding: 'utf8',
    env: { ...process.env, FAKE_USER_DATA: join(work, 'user-data') },
    timeout: 60_000,
  });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`the main process printed no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('main.ts wired to the real engine (stand-in electron)', () => {
  it('ran to a clean quit', () => {
    expect(report.error).toBeUndefined();
    expect(report.exitCode).toBe(0);
  });

  it('moves userData into the profile before anything else', () => {
    const log = report.log as { setPath: [string, string][] };
    expect(log.setPath).toEqual([['userData', join(work, 'user-data', 'profiles', 'wiring', 'electron')]]);
  });

  it('registers the app scheme, guards the session and registers every contract channel', () => {
    expect(report.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, codeCache: true } }]);
    expect(report.protocols).toEqual(['app']);
    // Clicked lockstep:// invite links open this app.
    expect((report.log as { protocolClient?: string[] }).protocolClient).toEqual(['lockstep']);
    expect(report.sessionHandlers).toEqual(['check', 'device', 'headers', 'request']);
    expect(report.channels).toEqual((Object.keys(contract) as ChannelName[]).map(channelOf).sort());
  });

  it('opens one locked-down window on the renderer, titled with the profile', () => {
    expect(report.url).toBe('app://lockstep/index.html');
    expect(report.title).toBe('Lockstep — wiring');
    expect(report.windowOptions).toMatchObject({
      backgroundColor: '#111318',
      webPreferences: { preload: join(work, 'out/preload/preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(report.navigationPrevented).toBe(true);
    expect(report.windowOpen).toEqual({ action: 'deny' });
  });

  it('answers engine calls with envelopes', () => {
    expect(report.identityBefore).toEqual({ ok: true, value: null });
    expect(report.created).toMatchObject({ ok: true, value: { name: 'Alice', pin: expect.stringMatching(/^sha256\//) } });
    expect(report.network).toMatchObject({ ok: true, value: { listening: true } });
    expect(report.atRest).toMatchObject({ ok: true, value: { mode: 'key-file' } });
    expect(report.badArgument).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });

  it('refuses a caller outside our renderer', () => {
    expect(report.untrusted).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('answers the shell calls itself, opening only https links', () => {
    expect(report.copy).toEqual({ ok: true, value: null });
    expect(report.openFile).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(report.openHttps).toEqual({ ok: true, value: null });
    const log = report.log as { clipboard: string[]; openExternal: string[] };
    expect(log.clipboard).toEqual(['sha256/pin']);
    expect(log.openExternal).toEqual(['https://example.com/']);
  });

  it('serves no file outside the renderer directory', () => {
    expect(report.page).toBe(404);
    expect(contentSecurityPolicy()).toContain("default-src 'none'");
  });

  it('forwards engine events on the events channel', () => {
    expect(report.contact).toMatchObject({ ok: true, value: { name: 'Bob' } });
    expect(report.eventChannels).toEqual([EVENTS_CHANNEL]);
  });
});
