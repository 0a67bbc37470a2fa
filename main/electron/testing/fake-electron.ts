/**
 * A stand-in for the `electron` module, for running the built main process in plain Node (see
 * main-wiring.test.ts). It records what main does with each API, then drives the app like a
 * renderer would — calls over the registered IPC handlers, a navigation attempt, a quit — and
 * prints one JSON report line on stdout. Not a mock of Electron's behaviour: just enough surface
 * for main.ts, so the wiring between the real engine and the shell is exercised end to end.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (event: unknown, arg: unknown) => Promise<unknown>;
type Listener = (...args: unknown[]) => void;

const log: Record<string, unknown[]> = {};
function record(what: string, value: unknown): void {
  (log[what] ??= []).push(value);
}

const paths: Record<string, string> = { userData: process.env.FAKE_USER_DATA ?? mkdtempSync(join(tmpdir(), 'fake-electron-')) };
let ready: () => void = () => {};
const whenReady = new Promise<void>((resolve) => (ready = resolve));

class FakeApp extends EventEmitter {
  getPath = (name: string) => paths[name] ?? join(tmpdir(), name);
  setPath = (name: string, value: string) => {
    paths[name] = value;
    record('setPath', [name, value]);
  };
  requestSingleInstanceLock = () => true;
  setAsDefaultProtocolClient = (scheme: string) => {
    record('protocolClient', scheme);
    return true;
  };
  whenReady = () => whenReady;
  quit = () => {
    record('quit', true);
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) finish(0);
  };
  exit = (code: number) => finish(code);
}

export const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  static next = 1;
  readonly id = FakeWebContents.next++;
  openHandler: ((details: { url: string }) => unknown) | null = null;
  sent: [string, unknown][] = [];
  send = (channel: string, payload: unknown) => this.sent.push([channel, payload]);
  isDestroyed = () => false;
  setWindowOpenHandler = (handler: (details: { url: string }) => unknown) => (this.openHandler = handler);
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  title = '';
  url = '';
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  bounds: { x: number; y: number; width: number; height: number } | null = null;
  setTitle = (title: string) => (this.title = title);
  setBounds = (bounds: { x: number; y: number; width: number; height: number }) => (this.bounds = bounds);
  loadURL = async (url: string) => {
    this.url = url;
    this.emit('ready-to-show');
  };
  isDestroyed = () => false;
  isMinimized = () => false;
  isFocused = () => false;
  restore = () => {};
  show = () => record('show', true);
  focus = () => {};
}

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler) {
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export const protocol = {
  schemes: [] as unknown[],
  handlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.schemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: { url: string }) => Promise<Response>) {
    this.handlers.set(scheme, handler);
  },
};

const sessionHandlers: Record<string, Listener> = {};
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (fn: Listener) => (sessionHandlers.headers = fn) },
    setPermissionRequestHandler: (fn: Listener) => (sessionHandlers.request = fn),
    setPermissionCheckHandler: (fn: Listener) => (sessionHandlers.check = fn),
    setDevicePermissionHandler: (fn: Listener) => (sessionHandlers.device = fn),
  },
};

export const nativeTheme = { shouldUseDarkColors: true };
export const screen = { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }) };
export const clipboard = { writeText: async (text: string) => record('clipboard', text) };
export const shell = { openExternal: async (url: string) => record('openExternal', url) };
export const dialog = { showErrorBox: (title: string, message: string) => record('errorBox', { title, message }) };
export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text' as const,
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (data: Buffer) => data.toString(),
};
export class Notification extends EventEmitter {
  static isSupported = () => true;
  constructor(readonly options: unknown) {
    super();
  }
  show = () => record('notification', this.options);
}

/** What a renderer in our window sends along with each call. */
function fromWindow(window: BrowserWindow, url = 'app://lockstep/index.html') {
  return { sender: { id: window.webContents.id }, senderFrame: { url, parent: null } };
}

async function drive(): Promise<Record<string, unknown>> {
  await until(() => BrowserWindow.windows.length > 0);
  const window = BrowserWindow.windows[0] as BrowserWindow;
  const call = (name: string, arg: unknown, event: unknown = fromWindow(window)) => ipcMain.handlers.get(`lockstep:${name}`)?.(event, arg);
  const report: Record<string, unknown> = {
    schemes: protocol.schemes,
    protocols: [...protocol.handlers.keys()],
    channels: [...ipcMain.handlers.keys()].sort(),
    windowOptions: window.options,
    title: window.title,
    url: window.url,
    sessionHandlers: Object.keys(sessionHandlers).sort(),
  };
  report.identityBefore = await call('getIdentity', {});
  report.created = await call('createIdentity', { name: 'Alice' });
  report.network = await call('getNetwork', {});
  report.atRest = await call('getAtRest', {});
  report.badArgument = await call('sendMessage', { contactId: 'x', text: '' });
  report.untrusted = await call('getIdentity', {}, fromWindow(window, 'https://evil.example/'));
  report.copy = await call('copyText', { text: 'sha256/pin' });
  report.openFile = await call('openExternal', { url: 'file:///etc/passwd' });
  report.openHttps = await call('openExternal', { url: 'https://example.com/' });
  report.page = (await protocol.handlers.get('app')?.({ url: 'app://lockstep/%2e%2e/main/index.js' }))?.status;
  let prevented = false;
  window.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
  report.navigationPrevented = prevented;
  report.windowOpen = window.webContents.openHandler?.({ url: 'https://example.com' });
  // Listening and identities are quiet; a new contact is the first event the engine emits.
  const pin = `sha256/${randomBytes(32).toString('base64')}`;
  report.contact = await call('addContact', { address: '127.0.0.1:9', pin, name: 'Bob' });
  await until(() => window.webContents.sent.length > 0);
  report.eventChannels = [...new Set(window.webContents.sent.map(([channel]) => channel))];
  report.log = log;
  return report;
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let report: Record<string, unknown> = {};
function finish(code: number): void {
  process.stdout.write(`${JSON.stringify({ ...report, log, exitCode: code })}\n`);
  process.exit(code);
}

setTimeout(() => {
  ready();
  drive()
    .then((result) => {
      report = result;
      app.quit();
    })
    .catch((error: unknown) => {
      report = { error: String(error) };
      finish(99);
    });
}, 0);

export default { app, BrowserWindow, ipcMain, protocol, screen, session, nativeTheme, clipboard, shell, dialog, safeStorage, Notification };
