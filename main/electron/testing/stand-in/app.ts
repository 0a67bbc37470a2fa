/**
 * `app` of the stand-in: paths as Electron makes them on Linux (userData under
 * $XDG_CONFIG_HOME, named for the product), a per-userData single-instance lock
 * (single-instance.ts), and the
 * lifecycle — `ready`, `before-quit` (which main may hold off), `will-quit`, `window-all-closed`
 * and the exit — with Electron's documented order.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { closeChromium } from './chromium';
import { protocol } from './session';
import { SingleInstance } from './single-instance';

/** Electron reads the app's name from the package.json next to (or above) the entry file. */
function appPackage(): { name: string; version: string; dir: string } {
  let dir = dirname(process.argv[1] ?? process.cwd());
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { productName?: string; name?: string; version?: string };
      return { name: pkg.productName ?? pkg.name ?? 'Electron', version: pkg.version ?? '0.0.0', dir };
    }
    if (dirname(dir) === dir) return { name: 'Electron', version: '0.0.0', dir: process.cwd() };
    dir = dirname(dir);
  }
}

interface Preventable {
  defaultPrevented: boolean;
  preventDefault(): void;
}

function preventable(): Preventable {
  const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
  return event;
}

export class App extends EventEmitter {
  private readonly pkg = appPackage();
  private readonly paths: Record<string, string>;
  private ready = false;
  private quitting = false;
  private instance: SingleInstance | null = null;
  /** A second instance's argv on its way to the first: sent before this process exits. */
  private handover: Promise<void> = Promise.resolve();
  /** Closes every window; set by browser-window.ts (which needs `app` itself). */
  closeAllWindows: () => Promise<void> = async () => {};

  constructor() {
    super();
    const home = process.env.HOME ?? homedir();
    const appData = process.env.XDG_CONFIG_HOME ?? join(home, '.config');
    this.paths = { home, appData, userData: join(appData, this.pkg.name), downloads: join(home, 'Downloads'), temp: process.env.TMPDIR ?? '/tmp' };
  }

  get name(): string {
    return this.pkg.name;
  }
  getName(): string {
    return this.pkg.name;
  }
  getVersion(): string {
    return this.pkg.version;
  }
  getAppPath(): string {
    return this.pkg.dir;
  }
  readonly isPackaged = false;

  getPath(name: string): string {
    const path = this.paths[name];
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }

  setPath(name: string, path: string): void {
    this.paths[name] = path;
  }

  /** Per userData, as in Electron: false when another live instance holds it (our argv is handed to it). */
  requestSingleInstanceLock(): boolean {
    const instance = new SingleInstance(this.getPath('userData'));
    const held = instance.acquire(({ argv, cwd }) => this.emit('second-instance', preventable(), argv, cwd, null));
    if (held) this.instance = instance;
    else this.handover = instance.handOver({ argv: [process.execPath, ...process.argv.slice(1)], cwd: process.cwd() });
    return held;
  }

  setAsDefaultProtocolClient(_scheme: string): boolean {
    return true;
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.once('ready', () => resolve()));
  }

  /** Started by the stand-in once main's module has run, as Electron emits `ready` after the entry script. */
  becomeReady(): void {
    this.emit('will-finish-launching');
    protocol.markReady();
    this.ready = true;
    this.emit('ready', preventable(), {});
  }

  /** Electron: `before-quit` first (preventable), then close every window, `will-quit` (preventable), then exit. */
  quit(): void {
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.quitting = true;
    void this.closeAllWindows().then(() => {
      const will = preventable();
      this.emit('will-quit', will);
      if (will.defaultPrevented) return;
      this.emit('quit', preventable(), 0);
      this.exit(0);
    });
  }

  /** Exit now: no events, windows closed without asking. */
  exit(code = 0): void {
    this.instance?.release();
    void Promise.all([closeChromium(), this.handover]).finally(() => process.exit(code));
  }

  /** The last window closed: main's `window-all-closed` listener decides, else the app quits. */
  lastWindowClosed(): void {
    if (this.quitting) return;
    if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed');
    else this.quit();
  }
}

export const app = new App();
