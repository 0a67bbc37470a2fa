/**
 * Newline-delimited frames: one UTF-8 JSON object per line, at most MAX_FRAME_BYTES. The decoder
 * is an explicit state machine (after ws's receiver): it never holds more than one frame's worth
 * of bytes, and an over-long line is reported and skipped to its end without being buffered.
 */
import { LockstepError } from '../errors';

import { MAX_FRAME_BYTES } from '../../../shared/limits';

export { MAX_FRAME_BYTES };
const NEWLINE = 0x0a;

export type DecodedFrame =
  | { kind: 'frame'; text: string; size: number }
  | { kind: 'too-large'; size: number };

type State = 'collecting' | 'discarding';

export class FrameDecoder {
  private state: State = 'collecting';
  private parts: Buffer[] = [];
  private buffered = 0;
  private discarded = 0;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  /** Bytes currently held: never more than maxBytes. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, offset);
      const end = newline === -1 ? chunk.length : newline;
      this.consume(chunk.subarray(offset, end), out);
      if (newline === -1) break;
      this.finishLine(out);
      offset = newline + 1;
    }
    return out;
  }

  private consume(piece: Buffer, out: DecodedFrame[]): void {
    if (piece.length === 0) return;
    if (this.state === 'discarding') {
      this.discarded += piece.length;
      return;
    }
    if (this.buffered + piece.length > this.maxBytes) {
      // Report at once, so a peer streaming an endless line is answered before it finishes.
      this.discarded = this.buffered + piece.length;
      this.parts = [];
      this.buffered = 0;
      this.state = 'discarding';
      out.push({ kind: 'too-large', size: this.discarded });
      return;
    }
    this.parts.push(Buffer.from(piece));
    this.buffered += piece.length;
  }

  private finishLine(out: DecodedFrame[]): void {
    if (this.state === 'discarding') {
      this.state = 'collecting';
      this.discarded = 0;
      return;
    }
    const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.buffered);
    this.parts = [];
    this.buffered = 0;
    let text = line.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1); // tolerate CRLF from terminal clients
    if (text.trim().length > 0) out.push({ kind: 'frame', text, size: line.length });
  }
}

/** Serialise one frame; refuses anything over the limit rather than sending what the peer must reject. */
export function encodeFrame(frame: object, maxBytes = MAX_FRAME_BYTES): Buffer {
  const bytes = Buffer.from(`${JSON.stringify(frame)}\n`, 'utf8');
  if (bytes.length - 1 > maxBytes) {
    throw new LockstepError('FRAME_TOO_LARGE', `A frame is at most ${maxBytes} bytes; this one is ${bytes.length - 1}.`);
  }
  return bytes;
}
