/**
 * `BrowserWindow` and `webContents` of the stand-in: each window is a page of the app's Chromium
 * at the window's size, with the window's preload in front of every document (renderer-side.ts),
 * `ipcRenderer.invoke` arriving at `ipcMain` with the page's frame as sender, and
 * `webContents.send` delivering to the preload's listeners. A popup asks the window-open handler
 * first; a denied one is closed at once.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { BrowserContext, Frame, Page, Request, Route } from 'playwright-core';

import { app } from './app';
import { appChromium } from './chromium';
import { report } from './control';
import { ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from './ipc-main';
import { DELIVER, INVOKE_BINDING, rendererScript } from './renderer-side';
import { protocol } from './session';
import { nativeTheme } from './services';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface WebPreferences {
  preload?: string;
  [key: string]: unknown;
}

export interface BrowserWindowConstructorOptions {
  width?: number;
  height?: number;
  show?: boolean;
  title?: string;
  webPreferences?: WebPreferences;
  [key: string]: unknown;
}

type OpenHandler = (details: { url: string; frameName: string; disposition: string }) => { action: 'allow' | 'deny' };

let nextId = 1;
/** The window with the keyboard: the one shown or focused last. */
const focus: { window: BrowserWindow | null } = { window: null };

export class WebContents extends EventEmitter {
  readonly id = nextId++;
  page: Page | null = null;
  private destroyed = false;
  private openHandler: OpenHandler | null = null;
  private delivery: Promise<void> = Promise.resolve();
  /** Navigations main asked for (loadURL, reload): Electron raises no will-navigate for those. */
  private readonly expected = new Set<string>();

  constructor(readonly webPreferences: WebPreferences) {
    super();
  }

  /** Give the window its page: the binding main's IPC arrives on, then the preload. */
  async attach(page: Page): Promise<void> {
    this.page = page;
    await page.route('**/*', (route, request) => this.intercept(route, request));
    await page.exposeBinding(INVOKE_BINDING, (source: { frame: Frame }, channel: string, args: unknown[]) => ipcMain.invokeFrom(this.eventFor(source.frame), channel, args));
    if (this.webPreferences.preload) await page.addInitScript({ content: rendererScript(readFileSync(this.webPreferences.preload, 'utf8')) });
    page.on('close', () => {
      this.destroyed = true;
      this.emit('destroyed');
    });
    page.on('download', (download) => {
      const path = join(app.getPath('downloads'), download.suggestedFilename());
      // Electron without a will-download handler asks where to save, proposing this path.
      void download.saveAs(path).then(() => report({ kind: 'download', path, suggestedName: download.suggestedFilename() }));
    });
  }

  /** Main is about to load `url` itself (no veto asked); call the result once it has loaded. */
  expect(url: string): () => void {
    const target = withoutHash(url);
    this.expected.add(target);
    return () => this.expected.delete(target);
  }

  /**
   * A navigation the page started (a link, `location.assign`, a form): Electron asks main first
   * with `will-frame-navigate`, and for the top frame `will-navigate`; a vetoed one never starts.
   */
  private async intercept(route: Route, request: Request): Promise<void> {
    const target = withoutHash(request.url());
    if (!request.isNavigationRequest() || this.expected.delete(target)) return route.continue();
    const frame = request.frame();
    const url = protocol.fromLoopback(request.url());
    const event = { url, isMainFrame: frame.parentFrame() === null, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('will-frame-navigate', event);
    if (event.isMainFrame) this.emit('will-navigate', event, url);
    return event.defaultPrevented ? route.abort('aborted') : route.continue();
  }

  /** Reload the page, as main's webContents.reload(). */
  async reload(): Promise<void> {
    if (!this.page) return;
    const done = this.expect(this.page.url());
    await this.page.reload().finally(done);
  }

  private eventFor(frame: Frame): IpcMainInvokeEvent {
    return { sender: this, senderFrame: frameInfo(frame), frameId: 0, processId: process.pid };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  getURL(): string {
    return this.page ? protocol.fromLoopback(this.page.url()) : '';
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  /** A page this window's page opened: Electron asks the handler before the window exists. */
  popupOpened(popup: Page): void {
    const answer = this.openHandler?.({ url: protocol.fromLoopback(popup.url()), frameName: '', disposition: 'new-window' }) ?? { action: 'allow' };
    if (answer.action === 'deny') void popup.close();
  }

  /** Messages to the page, in order; one sent while no document listens is lost, as in Electron. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed || !this.page) return;
    report({ kind: 'sent', contentsId: this.id, channel, args });
    const page = this.page;
    const json = JSON.stringify(args);
    this.delivery = this.delivery.then(() =>
      page
        .evaluate(([deliver, ch, text]) => (globalThis as unknown as Record<string, ((c: string, t: string) => void) | undefined>)[deliver]?.(ch, text), [DELIVER, channel, json] as const)
        .then(() => undefined)
        .catch(() => undefined),
    );
  }
}

function withoutHash(url: string): string {
  const at = url.indexOf('#');
  return at < 0 ? url : url.slice(0, at);
}

function frameInfo(frame: Frame): WebFrameMain {
  const parent = frame.parentFrame();
  const url = protocol.fromLoopback(frame.url());
  return { url, origin: originOf(url), parent: parent ? frameInfo(parent) : null };
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
  } catch {
    return 'null';
  }
}

export class BrowserWindow extends EventEmitter {
  private static readonly all: BrowserWindow[] = [];
  readonly id: number;
  readonly webContents: WebContents;
  private bounds: Rectangle;
  private title: string;
  private visible = false;
  private minimized = false;
  private shownOnce = false;
  private readonly opened: Promise<void>;

  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super();
    this.webContents = new WebContents(options.webPreferences ?? {});
    this.id = this.webContents.id;
    this.bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.title = options.title ?? app.getName();
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
    this.opened = this.open();
    // Electron reports a window that cannot open on the console; it does not crash the app.
    this.opened.catch((error: unknown) => console.error('stand-in: the window could not open:', error));
    if (options.show !== false) this.show();
  }

  /** Another application took the focus. */
  static blurAll(): void {
    focus.window = null;
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.isDestroyed());
  }

  private async open(): Promise<void> {
    const chromium = await appChromium(app.getPath('userData'), nativeTheme.shouldUseDarkColors);
    const spare = chromium.context.pages().find((page) => page.url() === 'about:blank' && !claimed.has(page));
    const page = spare ?? (await chromium.context.newPage());
    claimed.add(page);
    await page.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
    await this.webContents.attach(page);
    page.on('close', () => this.closed());
    watchPopups(chromium.context);
  }

  async loadURL(url: string): Promise<void> {
    await this.opened;
    const page = this.webContents.page!;
    const target = await protocol.toLoopback(url);
    const done = this.webContents.expect(target);
    await page.goto(target).finally(done);
    this.webContents.emit('did-finish-load');
    const { cdp, context } = await appChromium(app.getPath('userData'), nativeTheme.shouldUseDarkColors);
    const session = await context.newCDPSession(page);
    const { targetInfo } = (await session.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
    await session.detach();
    report({ kind: 'window', contentsId: this.webContents.id, cdp, targetId: targetInfo.targetId, url });
    if (!this.shownOnce) {
      this.shownOnce = true;
      this.emit('ready-to-show');
    }
  }

  setTitle(title: string): void {
    this.title = title;
  }
  getTitle(): string {
    return this.title;
  }

  setBounds(bounds: Partial<Rectangle>): void {
    this.bounds = { ...this.bounds, ...bounds };
    void this.opened.then(() => this.webContents.page?.setViewportSize({ width: this.bounds.width, height: this.bounds.height }));
  }
  getBounds(): Rectangle {
    return { ...this.bounds };
  }

  show(): void {
    this.visible = true;
    this.minimized = false;
    this.focus();
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {
    focus.window = this;
  }
  isFocused(): boolean {
    return focus.window === this;
  }
  minimize(): void {
    this.minimized = true;
    if (focus.window === this) focus.window = null;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.webContents.isDestroyed();
  }

  /** Electron: `close` (preventable), then the page goes, then `closed`. */
  close(): void {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('close', event);
    if (!event.defaultPrevented) void this.destroy();
  }

  async destroy(): Promise<void> {
    await this.opened.catch(() => undefined);
    await this.webContents.page?.close().catch(() => undefined);
  }

  private closed(): void {
    if (focus.window === this) focus.window = null;
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.lastWindowClosed();
  }
}

/** Pages already a window's: the persistent context's first blank page is taken by the first window. */
const claimed = new WeakSet<Page>();

app.closeAllWindows = async () => {
  await Promise.all(BrowserWindow.getAllWindows().map((window) => window.destroy()));
};

let watching = false;

/** Popups: a page no window made, opened by one that a window did. */
function watchPopups(context: BrowserContext): void {
  if (watching) return;
  watching = true;
  context.on('page', (page) => {
    void page.opener().then((opener) => {
      if (opener === null) return;
      const owner = BrowserWindow.getAllWindows().find((w) => w.webContents.page === opener);
      if (owner && !claimed.has(page)) owner.webContents.popupOpened(page);
    });
  });
}
