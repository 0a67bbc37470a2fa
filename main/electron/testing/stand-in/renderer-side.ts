/**
 * The renderer side of the stand-in: the script put in front of every document of a window, as
 * Electron runs a window's preload. It gives the preload bundle (the file in webPreferences,
 * read as it was built) a `require('electron')` with `contextBridge` and `ipcRenderer`, then
 * runs it. As in Electron the preload runs in top frames only (nodeIntegrationInSubFrames is
 * off), `invoke` goes to main and resolves or rejects, `on` receives `webContents.send`, and
 * `exposeInMainWorld` leaves a frozen copy that the page cannot replace.
 *
 * Unlike Electron, the preload shares the page's JavaScript world (there is no isolated world
 * here): contextIsolation is something only a real Electron can show.
 */

/** Page globals the stand-in's main side talks through. */
export const INVOKE_BINDING = '__lockstepStandInInvoke';
export const DELIVER = '__lockstepStandInDeliver';

/** The init script for a window whose preload bundle is `preloadSource`. */
export function rendererScript(preloadSource: string): string {
  const names = JSON.stringify({ invoke: INVOKE_BINDING, deliver: DELIVER });
  return `(${installElectron.toString()})(${names}, function (require, module, exports) {\n${preloadSource}\n});`;
}

type Listener = (event: unknown, ...args: unknown[]) => void;

/** What the preload's `require('electron')` gives it here. */
export interface IpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: Listener): IpcRenderer;
  removeListener(channel: string, listener: Listener): IpcRenderer;
}

export interface ContextBridge {
  exposeInMainWorld(key: string, api: unknown): void;
}

export interface RendererElectron {
  contextBridge: ContextBridge;
  ipcRenderer: IpcRenderer;
}

/** Runs in the page (self-contained: it travels as source text). */
function installElectron(names: { invoke: string; deliver: string }, preload: (require: (name: string) => unknown, module: { exports: unknown }, exports: unknown) => void): void {
  const page = globalThis as unknown as Record<string, unknown> & { top: unknown; reportError?: (error: unknown) => void };
  if (page.top !== globalThis) return;
  const invoke = page[names.invoke] as (channel: string, args: unknown[]) => Promise<{ ok: boolean; value?: unknown; message?: string }>;
  const listeners = new Map<string, Listener[]>();
  const ipcRenderer: IpcRenderer = {
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const answer = await invoke(channel, JSON.parse(JSON.stringify(args)) as unknown[]);
      if (answer.ok) return answer.value;
      throw new Error(`Error invoking remote method '${channel}': ${answer.message ?? ''}`);
    },
    on(channel: string, listener: Listener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener));
      return ipcRenderer;
    },
  };
  const copy = (value: unknown): unknown => {
    if (typeof value === 'function' || value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
    for (const [key, inner] of Object.entries(value)) out[key] = copy(inner);
    return Object.freeze(out);
  };
  const contextBridge: ContextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      if (key in page) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
      Object.defineProperty(page, key, { value: copy(api), enumerable: true, writable: false, configurable: false });
    },
  };
  Object.defineProperty(page, names.deliver, {
    value: (channel: string, json: string) => {
      const args = JSON.parse(json) as unknown[];
      for (const listener of listeners.get(channel) ?? []) {
        try {
          listener({ sender: ipcRenderer }, ...args);
        } catch (error) {
          if (page.reportError) page.reportError(error);
        }
      }
    },
    enumerable: false,
  });
  const require = (name: string): RendererElectron => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error(`module not found: ${name}`);
  };
  const module = { exports: {} };
  preload.call(module.exports, require, module, module.exports);
}
