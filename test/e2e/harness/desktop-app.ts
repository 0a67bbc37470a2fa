/**
 * One Lockstep desktop app under test: the built main process (out/main/index.js) in its own
 * Node process with `electron` resolved to the stand-in, started the way a person starts it —
 * `--profile NAME --port N [--demo …]` — in a home folder of its own. The harness chooses only
 * that folder, the flags and the port; every engine option comes from the shell's own code.
 *
 * The app reports over the Node IPC channel what left the window (clipboard, links, downloads,
 * notifications, every webContents.send); its windows' pages are driven over Chromium's DevTools
 * endpoint, as a person would drive them.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import type { LockstepEvent } from '../../../shared/events';
import { EVENTS_CHANNEL, type ArgOf, type ChannelName, type ResultOf } from '../../../shared/ipc-contract';
import type { Result } from '../../../shared/views';
import { EventRecorder, WAIT_MS } from './engines';
import { appBuild } from './stand-in';

/** What the stand-in reports (main/electron/testing/stand-in/control.ts). */
type Report =
  | { kind: 'window'; contentsId: number; cdp: string; targetId: string; url: string }
  | { kind: 'sent'; contentsId: number; channel: string; args: unknown[] }
  | { kind: 'clipboard'; text: string }
  | { kind: 'open-external'; url: string }
  | { kind: 'notification'; title: string; body: string }
  | { kind: 'error-box'; title: string; message: string }
  | { kind: 'download'; path: string; suggestedName: string };

/**
 * The page global through which the stand-in hands a webContents.send message to the preload's
 * listeners (main/electron/testing/stand-in/renderer-side.ts): the bench calls it directly to time
 * the renderer's share apart from the transfer.
 */
export const PAGE_DELIVER = '__lockstepStandInDeliver';

export interface AppWindow {
  contentsId: number;
  page: Page;
}

export interface LaunchOptions {
  /** Flags after the app path, as `npm start -- …` passes them. */
  args: string[];
  /** The home folder (default: a fresh one); two launches may share one, as two profiles on one desktop do. */
  home?: string;
  label: string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function newHome(label: string): string {
  return mkdtempSync(join(tmpdir(), `lockstep-home-${label.toLowerCase().replace(/\W/g, '')}-`));
}

export class DesktopApp {
  readonly copied: string[] = [];
  readonly external: string[] = [];
  readonly downloads: { path: string; suggestedName: string }[] = [];
  readonly notifications: { title: string; body: string }[] = [];
  readonly errorBoxes: { title: string; message: string }[] = [];
  /** Every event batch main sent to a window, by the window's webContents id. */
  readonly events = new EventRecorder([]);
  readonly output: string[] = [];
  readonly exited: Promise<number>;
  private readonly windowReports: Extract<Report, { kind: 'window' }>[] = [];
  private browser: Browser | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly label: string,
    readonly home: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message) => this.received(message as Report));
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 0))));
    void this.exited.then(() => this.wake());
  }

  static async launch(options: LaunchOptions): Promise<DesktopApp> {
    const build = await appBuild();
    const home = options.home ?? newHome(options.label);
    const child = fork(build.main, options.args, {
      cwd: build.dir,
      execArgv: ['--import', build.register],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), LOCKSTEP_STAND_IN: build.standIn },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new DesktopApp(options.label, home, child);
  }

  private received(message: Report): void {
    if (message.kind === 'window') this.windowReports.push(message);
    else if (message.kind === 'sent' && message.channel === EVENTS_CHANNEL) this.events.add(message.args[0] as LockstepEvent[]);
    else if (message.kind === 'clipboard') this.copied.push(message.text);
    else if (message.kind === 'open-external') this.external.push(message.url);
    else if (message.kind === 'download') this.downloads.push({ path: message.path, suggestedName: message.suggestedName });
    else if (message.kind === 'notification') this.notifications.push({ title: message.title, body: message.body });
    else if (message.kind === 'error-box') this.errorBoxes.push({ title: message.title, message: message.message });
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Wait for something the app reports; fail with its output if it exits or the deadline passes. */
  async until<T>(what: string, found: () => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
    let exited: number | null = null;
    void this.exited.then((code) => (exited = code));
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value !== undefined) return done(() => resolve(value));
        if (exited !== null) done(() => reject(new Error(`${this.label}'s app exited (${exited}) before ${what}.\n${this.log()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} from ${this.label}'s app.\n${this.log()}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The app's console output so far (its stdout and stderr), for failure messages. */
  log(): string {
    return `--- ${this.label}'s app output ---\n${this.output.join('').slice(-4000)}`;
  }

  /** The `n`th window main opened (0: the first), once it has loaded its page. */
  async window(n = 0): Promise<AppWindow> {
    const loaded = await this.until(`window #${n + 1} to load`, () => this.windowReports.filter((r) => r.url !== '')[n], 30_000);
    // noDefaults: leave the app's own settings (downloads, emulation) as the stand-in made them.
    this.browser ??= await chromium.connectOverCDP(loaded.cdp, { noDefaults: true });
    const page = await this.pageOf(loaded.targetId);
    page.context().setDefaultTimeout(15_000);
    return { contentsId: loaded.contentsId, page };
  }

  private async pageOf(targetId: string): Promise<Page> {
    for (let tries = 0; tries < 100; tries++) {
      for (const page of this.browser!.contexts().flatMap((context) => context.pages())) {
        const session = await page.context().newCDPSession(page);
        const { targetInfo } = (await session.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
        await session.detach();
        if (targetInfo.targetId === targetId) return page;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.label}'s app has no page for target ${targetId}`);
  }

  /** Ask the stand-in for another window with the first one's webPreferences, loading `url`. */
  async openWindow(url: string): Promise<AppWindow> {
    const before = this.windowReports.filter((r) => r.url !== '').length;
    if (!this.child.connected) throw new Error(`${this.label}'s app is not running.\n${this.log()}`);
    this.child.send({ kind: 'open-window', url });
    return this.window(before);
  }

  /** Deliver a message to a window on `channel`, as main's webContents.send would. */
  send(contentsId: number, channel: string, args: unknown[]): void {
    this.child.send({ kind: 'send', contentsId, channel, args });
  }

  /** Main's webContents.reload() on a window; resolves once the page has loaded again. */
  async reload(window: AppWindow): Promise<void> {
    const loaded = window.page.waitForEvent('load');
    this.child.send({ kind: 'reload', contentsId: window.contentsId });
    await loaded;
  }

  /** Main's loadURL on a window (an app:// URL); resolves once the page shows it. */
  async loadURL(window: AppWindow, url: string): Promise<void> {
    const wanted = new URL(url);
    this.child.send({ kind: 'load-url', contentsId: window.contentsId, url });
    await window.page.waitForURL((now) => now.pathname === wanted.pathname && now.hash === wanted.hash);
    await window.page.waitForLoadState();
  }

  /** The person clicks into a window of this app (it takes the focus; OS notifications hold off). */
  focus(contentsId: number): void {
    this.child.send({ kind: 'focus', contentsId });
  }

  /** The person clicks into another application: none of this app's windows has the focus. */
  blur(): void {
    this.child.send({ kind: 'blur' });
  }

  /** Quit as a person would (the app menu's Quit): resolves with the exit code. */
  async quit(): Promise<number> {
    await this.browser?.close().catch(() => undefined);
    this.browser = null;
    if (this.child.exitCode === null && this.child.connected) this.child.send({ kind: 'quit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  async close(options: { keepHome?: boolean } = {}): Promise<void> {
    await this.quit().catch(() => undefined);
    if (!options.keepHome) rmSync(this.home, { recursive: true, force: true });
  }
}

/** One call of the contract from `page`, through the real preload, IPC and main's handlers. */
export function callFrom<K extends ChannelName>(page: Page, name: K, arg: ArgOf<K>): Promise<Result<ResultOf<K>>> {
  return page.evaluate(
    ([n, a]) => (globalThis as unknown as { lockstep: Record<string, (arg: unknown) => Promise<unknown>> }).lockstep[n]!(a),
    [name, arg] as const,
  ) as Promise<Result<ResultOf<K>>>;
}
