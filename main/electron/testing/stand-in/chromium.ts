/**
 * The app's one Chromium, as Electron has one: Debian's build, headless, its state in the app's
 * userData directory, started with the first window. Its DevTools endpoint is reported so a test
 * can drive the windows' pages as a person would (playwright-core's connectOverCDP).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { chromium, type BrowserContext } from 'playwright-core';

const EXECUTABLE = process.env.LOCKSTEP_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--remote-debugging-port=0',
];

export interface AppChromium {
  context: BrowserContext;
  /** `http://127.0.0.1:PORT`, for connectOverCDP. */
  cdp: string;
}

let started: Promise<AppChromium> | null = null;

export function appChromium(userDataDir: string, dark: boolean): Promise<AppChromium> {
  started ??= launch(userDataDir, dark);
  return started;
}

async function launch(userDataDir: string, dark: boolean): Promise<AppChromium> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    // One fixed desktop, so screenshots compare across machines.
    locale: 'en-GB',
    timezoneId: 'UTC',
    deviceScaleFactor: 1,
    colorScheme: dark ? 'dark' : 'light',
    acceptDownloads: true,
  });
  const port = await devToolsPort(userDataDir);
  return { context, cdp: `http://127.0.0.1:${port}` };
}

/** Chromium writes the port it chose for `--remote-debugging-port=0` into the profile. */
async function devToolsPort(userDataDir: string): Promise<number> {
  const file = join(userDataDir, 'DevToolsActivePort');
  for (let tries = 0; tries < 200; tries++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (port > 0) return port;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Chromium wrote no DevToolsActivePort in ${userDataDir}`);
}

export async function closeChromium(): Promise<void> {
  const running = started;
  started = null;
  if (running) await (await running).context.close().catch(() => undefined);
}
