/**
 * Incremental TLS record splitter for one direction of a connection.
 *
 * Bytes arrive in arbitrary chunks (TCP has no record boundaries); records come out whole.
 * Explicit state machine (header → body), like ws's receiver, so memory is bounded: it holds at
 * most one 5-byte header and one record body, and a body longer than the TLS 1.3 limit
 * (RFC 8446 §5.2: TLSCiphertext.length ≤ 2^14 + 256) is a protocol error that stops the
 * direction instead of buffering an attacker-chosen amount.
 */

export const RECORD_HEADER_LENGTH = 5;
/** RFC 8446 §5.2: an encrypted record's body may exceed 2^14 by at most 256 bytes. */
export const MAX_RECORD_BODY = 2 ** 14 + 256;

export interface TlsRecord {
  contentType: number;
  /** legacy_record_version (RFC 8446 §5.1): 0x0301 or 0x0303, never 0x0304 on the wire. */
  version: number;
  length: number;
  header: Uint8Array;
  body: Uint8Array;
}

export interface SplitterError {
  error: string;
  /** Offset in this direction's byte stream where the bad header starts. */
  offset: number;
}

export interface SplitResult {
  records: TlsRecord[];
  /** Set once, on the push that hit the error; the splitter then ignores further bytes. */
  error?: SplitterError;
}

type State = 'header' | 'body' | 'failed';

export class RecordSplitter {
  private state: State = 'header';
  private readonly header = new Uint8Array(RECORD_HEADER_LENGTH);
  private headerFill = 0;
  private body: Uint8Array = new Uint8Array(0);
  private bodyFill = 0;
  private consumed = 0;

  /** Bytes currently held for an incomplete record (header + body so far). */
  get buffered(): number {
    return this.state === 'body' ? RECORD_HEADER_LENGTH + this.bodyFill : this.headerFill;
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  push(chunk: Uint8Array): SplitResult {
    const records: TlsRecord[] = [];
    let pos = 0;
    while (pos < chunk.length && this.state !== 'failed') {
      if (this.state === 'header') {
        pos = this.readHeader(chunk, pos);
        if (this.headerFill === RECORD_HEADER_LENGTH) {
          const err = this.startBody();
          if (err) return { records, error: err };
          if (this.body.length === 0) records.push(this.finish());
        }
      } else {
        pos = this.readBody(chunk, pos);
        if (this.bodyFill === this.body.length) records.push(this.finish());
      }
    }
    return { records };
  }

  private readHeader(chunk: Uint8Array, pos: number): number {
    const n = Math.min(RECORD_HEADER_LENGTH - this.headerFill, chunk.length - pos);
    this.header.set(chunk.subarray(pos, pos + n), this.headerFill);
    this.headerFill += n;
    return pos + n;
  }

  private readBody(chunk: Uint8Array, pos: number): number {
    const n = Math.min(this.body.length - this.bodyFill, chunk.length - pos);
    this.body.set(chunk.subarray(pos, pos + n), this.bodyFill);
    this.bodyFill += n;
    return pos + n;
  }

  /** Validate the header before allocating anything for the body. */
  private startBody(): SplitterError | undefined {
    const length = (this.header[3]! << 8) | this.header[4]!;
    const type = this.header[0]!;
    const problem =
      length > MAX_RECORD_BODY
        ? `record length ${length} exceeds the TLS maximum of ${MAX_RECORD_BODY} (RFC 8446 §5.2)`
        : type < 20 || type > 24
          ? `content type ${type} is not a TLS record type: the stream is not TLS or lost sync`
          : this.header[1] !== 0x03
            ? `record version 0x${this.header[1]!.toString(16)}${this.header[2]!.toString(16).padStart(2, '0')} is not TLS`
            : null;
    if (problem) {
      this.state = 'failed';
      this.headerFill = 0;
      return { error: problem, offset: this.consumed };
    }
    this.body = new Uint8Array(length);
    this.bodyFill = 0;
    this.state = 'body';
    return undefined;
  }

  private finish(): TlsRecord {
    const header = this.header.slice();
    const record: TlsRecord = {
      contentType: header[0]!,
      version: (header[1]! << 8) | header[2]!,
      length: this.body.length,
      header,
      body: this.body,
    };
    this.consumed += RECORD_HEADER_LENGTH + this.body.length;
    this.body = new Uint8Array(0);
    this.headerFill = 0;
    this.bodyFill = 0;
    this.state = 'header';
    return record;
  }
}
