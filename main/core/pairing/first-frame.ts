/**
 * A listener showing a pairing code must tell a pairing dialer from any other unknown one before
 * the code is spent (PROTOCOL.md §6.2): it reads the dialer's first frame — one line at most,
 * within a short deadline — and only a valid `pair` frame may consume the code. The socket is
 * paused afterwards and every byte read is handed on, so the pairing (or a later session) loses
 * nothing; the bytes are not fed to the plaintext witness here, but by whoever consumes them.
 */
import type { TLSSocket } from 'node:tls';

import { FrameDecoder } from '../wire/framing';
import { PairFrame } from './pairing-frames';

export type FirstFrame =
  /** A valid `pair` frame came first: this dialer may use the code. */
  | { kind: 'pair'; bytes: Buffer }
  /** Something else came first (a hello, junk, a malformed pair frame). */
  | { kind: 'other'; bytes: Buffer }
  /** Nothing complete within the deadline. */
  | { kind: 'silent' }
  | { kind: 'closed' };

export function readFirstFrame(socket: TLSSocket, timeoutMs: number): Promise<FirstFrame> {
  return new Promise((resolve) => {
    const decoder = new FrameDecoder();
    const chunks: Buffer[] = [];
    const finish = (result: FirstFrame) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const [first] = decoder.push(chunk);
      if (!first) return;
      const bytes = Buffer.concat(chunks);
      finish({ kind: first.kind === 'frame' && isPairFrame(first.text) ? 'pair' : 'other', bytes });
    };
    const onClose = () => finish({ kind: 'closed' });
    const timer = setTimeout(() => finish({ kind: 'silent' }), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.resume();
  });
}

function isPairFrame(text: string): boolean {
  try {
    return PairFrame.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}
