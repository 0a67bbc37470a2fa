/**
 * Where the TLS records are inside a relayed byte stream, so Eve can act on one record exactly
 * (flip a bit of its ciphertext, or send a copy right after it) while the chunks TCP hands her
 * cut records anywhere. It only reads record headers (RFC 8446 §5.1: type, version, length);
 * it never buffers more than one record, and only the record it was asked to keep.
 */

export const HEADER_LENGTH = 5;
const MAX_BODY = 2 ** 14 + 256;
const PREVIEW_BYTES = 24;

export interface RecordStart {
  /** Counting every record of this direction from 0. */
  index: number;
  contentType: number;
  length: number;
}

/** What to do with a record, decided when its header has been read. */
export interface RecordPlan {
  /** Flip this bit of the body byte at `bodyOffset` (clamped inside the body). */
  flip?: { bodyOffset: number; bit: number };
  /** Send a copy of the whole record right after it. */
  duplicate?: boolean;
}

export interface RecordSeen extends RecordStart {
  /** The first bytes of the record as relayed (header included), for the hex view. */
  head: Buffer;
  flipped: { byteOffset: number; bit: number } | null;
  duplicated: boolean;
}

export interface CursorHandlers {
  plan(start: RecordStart): RecordPlan | void;
  seen(record: RecordSeen): void;
}

interface Current extends RecordStart {
  remaining: number;
  head: Buffer[];
  headFill: number;
  flipAt: number | null;
  bit: number;
  kept: Buffer[] | null;
  flipped: { byteOffset: number; bit: number } | null;
}

export class RecordCursor {
  private header = Buffer.alloc(HEADER_LENGTH);
  private headerFill = 0;
  private current: Current | null = null;
  private count = 0;
  /** Set once the stream is not TLS (or lost sync): bytes are relayed untouched from then on. */
  failed: string | null = null;

  constructor(private readonly handlers: CursorHandlers) {}

  /** Returns what to put on the wire for this chunk: the chunk (maybe altered) and any copies. */
  push(chunk: Buffer): Buffer[] {
    if (this.failed) return [chunk];
    const out: Buffer[] = [];
    let data = chunk;
    let start = 0;
    let pos = 0;
    while (pos < data.length && !this.failed) {
      if (!this.current) {
        const n = Math.min(HEADER_LENGTH - this.headerFill, data.length - pos);
        data.copy(this.header, this.headerFill, pos, pos + n);
        this.headerFill += n;
        pos += n;
        if (this.headerFill === HEADER_LENGTH) this.begin();
        if (this.current && (this.current as Current).remaining === 0) this.finish(out, data, start, pos, (s) => (start = s));
        continue;
      }
      const c = this.current;
      const n = Math.min(c.remaining, data.length - pos);
      const offsetInRecord = HEADER_LENGTH + c.length - c.remaining;
      if (c.flipAt !== null && c.flipAt >= offsetInRecord && c.flipAt < offsetInRecord + n) {
        if (data === chunk) data = Buffer.from(chunk); // never alter the caller's buffer
        data[pos + c.flipAt - offsetInRecord]! ^= 1 << c.bit;
        c.flipped = { byteOffset: c.flipAt, bit: c.bit };
      }
      this.keep(c, data.subarray(pos, pos + n), offsetInRecord);
      c.remaining -= n;
      pos += n;
      if (c.remaining === 0) this.finish(out, data, start, pos, (s) => (start = s));
    }
    if (start < data.length) out.push(data.subarray(start));
    return out;
  }

  private begin(): void {
    const type = this.header[0]!;
    const length = this.header.readUInt16BE(3);
    if (type < 20 || type > 24 || this.header[1] !== 3 || length > MAX_BODY) {
      this.failed = `not a TLS record header (${this.header.toString('hex')})`;
      return;
    }
    const start: RecordStart = { index: this.count++, contentType: type, length };
    const plan = this.handlers.plan(start) ?? {};
    const flipAt = plan.flip && length > 0 ? HEADER_LENGTH + Math.min(Math.max(plan.flip.bodyOffset, 0), length - 1) : null;
    const header = Buffer.from(this.header);
    this.current = {
      ...start,
      remaining: length,
      head: [header],
      headFill: HEADER_LENGTH,
      flipAt,
      bit: plan.flip?.bit ?? 0,
      kept: plan.duplicate ? [header] : null,
      flipped: null,
    };
    this.headerFill = 0;
  }

  private keep(c: Current, bytes: Buffer, _offset: number): void {
    if (c.kept) c.kept.push(Buffer.from(bytes));
    if (c.headFill < PREVIEW_BYTES) {
      const part = bytes.subarray(0, PREVIEW_BYTES - c.headFill);
      c.head.push(Buffer.from(part));
      c.headFill += part.length;
    }
  }

  /** The record ended at `pos`: relay up to here, then the copy if one was asked for. */
  private finish(out: Buffer[], data: Buffer, start: number, pos: number, setStart: (s: number) => void): void {
    const c = this.current!;
    this.current = null;
    if (c.kept) {
      out.push(data.subarray(start, pos));
      out.push(Buffer.concat(c.kept));
      setStart(pos);
    }
    this.handlers.seen({
      index: c.index,
      contentType: c.contentType,
      length: c.length,
      head: Buffer.concat(c.head),
      flipped: c.flipped,
      duplicated: c.kept !== null,
    });
  }
}

/** `17 03 03 00 2a 9f …`: the first bytes as hex. */
export function hexPreview(bytes: Uint8Array, max = PREVIEW_BYTES): string {
  const shown = Buffer.from(bytes.subarray(0, max)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > max ? `${shown} …` : shown;
}

/** The same bytes as a hex editor's right-hand column: printable ASCII, a dot for anything else. */
export function asciiPreview(bytes: Uint8Array, max = PREVIEW_BYTES): string {
  let s = '';
  for (const b of bytes.subarray(0, max)) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return s;
}
