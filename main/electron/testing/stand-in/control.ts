/**
 * The stand-in's line to whoever started the app (the e2e harness, over the Node IPC channel
 * `child_process.fork` opens). It reports what a person at a real desktop would see outside the
 * window — clipboard, links handed to the browser, notifications, error boxes, saved downloads,
 * every message sent to a window — and takes the few things a person could do from outside:
 * quit the app, open another window. Without a parent (run by hand) reports go nowhere.
 */
export type Report =
  | { kind: 'window'; contentsId: number; cdp: string; targetId: string; url: string }
  | { kind: 'sent'; contentsId: number; channel: string; args: unknown[] }
  | { kind: 'clipboard'; text: string }
  | { kind: 'open-external'; url: string }
  | { kind: 'notification'; title: string; body: string }
  | { kind: 'error-box'; title: string; message: string }
  | { kind: 'download'; path: string; suggestedName: string }
  | { kind: 'ipc-refused'; channel: string; contentsId: number; url: string };

export type Command =
  | { kind: 'quit' }
  /** A second window with the same webPreferences as the first, loading `url` (a foreign page, or our own renderer). */
  | { kind: 'open-window'; url: string }
  | { kind: 'send'; contentsId: number; channel: string; args: unknown[] }
  /** What main would do with loadURL / webContents.reload (a person cannot navigate the window otherwise). */
  | { kind: 'load-url'; contentsId: number; url: string }
  | { kind: 'reload'; contentsId: number }
  /** The person clicks into a window: it takes the focus from the others. */
  | { kind: 'focus'; contentsId: number }
  /** The person clicks into another application: none of this app's windows has the focus. */
  | { kind: 'blur' };

export function report(message: Report): void {
  if (typeof process.send === 'function' && process.connected) process.send(message);
}

export function onCommand(listener: (command: Command) => void): void {
  process.on('message', (message) => listener(message as Command));
  // The channel must not keep the app alive on its own: the app quits when its windows close.
  if (typeof process.channel?.unref === 'function') process.channel.unref();
}
