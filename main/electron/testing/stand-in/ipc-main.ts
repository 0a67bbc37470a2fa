/**
 * `ipcMain` of the stand-in, with Electron's documented behaviour: one handler per channel
 * (registering a second throws), `invoke` from a page resolves with the handler's value or
 * rejects with "Error invoking remote method", and every call carries its sender — the
 * webContents and the frame it came from — for main's sender check to judge.
 */
import { EventEmitter } from 'node:events';

/** The parts of Electron's WebFrameMain main reads. */
export interface WebFrameMain {
  url: string;
  /** null for a top frame, as in Electron; a frame's parent otherwise. */
  parent: WebFrameMain | null;
  /** Electron's main-world origin of the frame. */
  origin: string;
}

export interface IpcMainInvokeEvent {
  sender: { id: number };
  senderFrame: WebFrameMain | null;
  frameId: number;
  processId: number;
}

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** What a page gets back for an invoke: structured data only, as IPC carries it. */
export type InvokeAnswer = { ok: true; value: unknown } | { ok: false; message: string };

export class IpcMain extends EventEmitter {
  private readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** A page called `ipcRenderer.invoke(channel, ...args)`. */
  async invokeFrom(event: IpcMainInvokeEvent, channel: string, args: unknown[]): Promise<InvokeAnswer> {
    const handler = this.handlers.get(channel);
    if (!handler) return { ok: false, message: `No handler registered for '${channel}'` };
    try {
      // IPC carries structured data: what cannot be cloned does not reach the page.
      return { ok: true, value: structuredClone(await handler(event, ...args)) };
    } catch (error) {
      return { ok: false, message: String(error) };
    }
  }
}

export const ipcMain = new IpcMain();
