/**
 * Who may call the engine: only the top frame of our own window, showing our own renderer. A
 * frame that navigated elsewhere, an iframe or any other webContents is refused, even though
 * navigation and subframes are already denied — this is the check that holds if those fail.
 */
import { isRendererUrl } from './renderer-protocol';

/** The parts of an IPC event the check reads (Electron's IpcMainInvokeEvent has them). */
export interface SenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** A check bound to the window that is ours at the time of each call (it may be recreated). */
export function trustedSenderCheck(ownContentsId: () => number | null): (event: SenderInfo) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    const id = ownContentsId();
    return id !== null && event.sender.id === id && isRendererUrl(frame.url);
  };
}
