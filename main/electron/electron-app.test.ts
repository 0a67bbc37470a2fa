/**
 * End to end through the real Electron, driven by playwright-core's Electron driver: the app
 * starts, the window shows our renderer, the page sees `window.lockstep` and nothing of Node,
 * calls answer with envelopes, and the page cannot navigate or open windows.
 *
 * It needs the Electron binary, which cannot be downloaded on the development machines: where
 * it is missing the suite reports itself skipped. The binary is looked up the way electron's
 * own index.js does (path.txt, then dist/) — never through `require('electron')`, which would
 * start a download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { contract } from '../../shared/ipc-contract';

const root = join(import.meta.dirname, '..', '..');

function installedElectron(): string | null {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

const binary = installedElectron();

function whyNot(): string | null {
  if (!binary) return 'the Electron binary is not installed (node_modules/electron/path.txt and dist/ are missing)';
  if (!existsSync(join(root, 'out/native/electron/better_sqlite3.node'))) return 'better-sqlite3 has not been built for Electron yet (npm start does it once)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display (run the tests under xvfb-run)';
  return null;
}

const skipReason = whyNot();
if (skipReason) console.log(`Electron end-to-end suite skipped: ${skipReason}`);

let app: ElectronApplication;
let page: Page;
let home = '';

beforeAll(async () => {
  if (skipReason) return;
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'main', 'preload', 'renderer'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  // A throwaway home, so the test profile never lands in the user's own configuration.
  home = mkdtempSync(join(tmpdir(), 'lockstep-electron-e2e-'));
  const inherited = Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE');
  const env = { ...Object.fromEntries(inherited), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') };
  // Chromium refuses to run as root with its OS sandbox; our `sandbox: true` still applies.
  const rootFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  app = await _electron.launch({ executablePath: binary as string, args: [root, '--profile', 'e2e', ...rootFlags], env, timeout: 60_000 });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
}, 180_000);

afterAll(async () => {
  await app?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)('the desktop app (real Electron)', () => {
  it('shows our renderer from app://lockstep with the profile in the title', async () => {
    expect(page.url()).toBe('app://lockstep/index.html');
    expect(await page.title()).toBeTruthy();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toContain('e2e');
  });

  it('loads the module scripts and styles over app:// and renders (CSP and scheme privileges allow them)', async () => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.waitForSelector('#root > *', { timeout: 20_000 });
    expect(errors.filter((text) => /Content Security Policy|CORS|Failed to load/i.test(text))).toEqual([]);
  });

  it('runs the page with no Node in reach', async () => {
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
  });

  it('exposes exactly the contract on window.lockstep', async () => {
    const keys = await page.evaluate(() => Object.keys((globalThis as unknown as { lockstep: object }).lockstep).sort());
    expect(keys).toEqual([...Object.keys(contract), 'onEvents'].sort());
  });

  it('answers calls with envelopes, and a bad argument with BAD_ARGUMENT', async () => {
    const call = (name: string, arg: unknown) =>
      page.evaluate(([n, a]) => (globalThis as unknown as { lockstep: Record<string, (x: unknown) => Promise<unknown>> }).lockstep[n as string]?.(a), [name, arg] as const);
    expect(await call('getNetwork', {})).toMatchObject({ ok: true });
    expect(await call('sendMessage', { contactId: 'x', text: '' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(await call('openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });

  it('cannot open windows or navigate away', async () => {
    type Win = { open(url: string): unknown; location: { href: string } };
    expect(await page.evaluate(() => (globalThis as unknown as Win).open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => {
      (globalThis as unknown as Win).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://lockstep/index.html');
    expect(app.windows()).toHaveLength(1);
  });
});
