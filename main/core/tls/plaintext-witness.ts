/**
 * The plaintext witness: for one connection, the application bytes the independent decryptor
 * got out of each record on the wire, compared with the bytes the app itself wrote (out) or read
 * (in). TLS does not keep write boundaries (one write may span records, one record may carry
 * several writes), so each direction is compared as a byte stream: a record is judged once the
 * app side has supplied as many bytes as the record carried, and one `tls.witness` event says
 * whether they were identical. A difference is the loud case: the bytes on the wire are not the
 * message.
 *
 * Memory is bounded: if one side runs too far ahead of the other (the app never reads, a record
 * could not be opened), the witness reports it once and stops comparing that direction rather
 * than queue without limit.
 */
import type { EventInput, WitnessStop } from '../../../shared/events';
import type { Disclosure } from './disclosure';
import type { NotOpened } from './record-decryptor';

export type WitnessDir = 'in' | 'out';

export interface PlaintextWitnessOptions {
  conn: string;
  emit: (event: EventInput) => void;
  /** Whether the preview of the compared bytes may go into events yet (see disclosure.ts). */
  disclosure: Disclosure;
  /** Bytes held per direction (records not yet matched + app bytes not yet matched). Default 1 MiB. */
  maxQueuedBytes?: number;
  /** Decrypted records held per direction while the app side catches up. Default 256. */
  maxQueuedRecords?: number;
}

export interface PlaintextWitness {
  /** From the record observer: a record's decrypted application bytes, or null and why not. */
  onRecord(dir: WitnessDir, recordIndex: number, bytes: Uint8Array | null, why?: NotOpened): void;
  /** From the app: bytes it wrote to the TLS socket (out) or read from it (in). Not copied: do not modify them afterwards. */
  onAppBytes(dir: WitnessDir, bytes: Uint8Array): void;
  /** The connection is over: whatever is still unmatched was never read or written by the app. */
  close(): void;
}

interface PendingRecord {
  index: number;
  bytes: Uint8Array;
  matched: number;
  equal: boolean;
  firstDifference: number | null;
}

interface Stream {
  records: PendingRecord[];
  app: Uint8Array[];
  appOffset: number;
  queuedBytes: number;
  stopped: boolean;
}

const PREVIEW_CHARS = 48;
const NOT_DECRYPTED: NotOpened = { cause: 'no-key', text: 'not decrypted' };

export function createPlaintextWitness(options: PlaintextWitnessOptions): PlaintextWitness {
  return new Witness(options);
}

class Witness implements PlaintextWitness {
  private readonly streams: Record<WitnessDir, Stream> = { in: blankStream(), out: blankStream() };
  private closed = false;
  private readonly maxBytes: number;
  private readonly maxRecords: number;

  constructor(private readonly o: PlaintextWitnessOptions) {
    this.maxBytes = o.maxQueuedBytes ?? 1024 * 1024;
    this.maxRecords = o.maxQueuedRecords ?? 256;
  }

  onRecord(dir: WitnessDir, recordIndex: number, bytes: Uint8Array | null, why: NotOpened = NOT_DECRYPTED): void {
    const s = this.streams[dir];
    if (this.closed || s.stopped) return;
    if (bytes === null) return this.unreadable(dir, recordIndex, why);
    if (bytes.length === 0) return; // an empty record carries nothing to compare
    s.records.push({ index: recordIndex, bytes, matched: 0, equal: true, firstDifference: null });
    s.queuedBytes += bytes.length;
    this.compare(dir);
    if (s.records.length > this.maxRecords) this.stop(dir, 'fell-behind', `${s.records.length} decrypted records waited for the app's bytes`);
    else this.checkBytes(dir);
  }

  onAppBytes(dir: WitnessDir, bytes: Uint8Array): void {
    const s = this.streams[dir];
    if (this.closed || s.stopped || bytes.length === 0) return;
    // Not copied: the session hands over each frame it wrote and each chunk TLS gave it, and
    // neither is touched again.
    s.app.push(bytes);
    s.queuedBytes += bytes.length;
    this.compare(dir);
    this.checkBytes(dir);
  }

  close(): void {
    this.closed = true;
    for (const s of Object.values(this.streams)) release(s);
  }

  /** Match the head record against the head of the app's bytes for as long as both have some. */
  private compare(dir: WitnessDir): void {
    const s = this.streams[dir];
    while (s.records.length > 0 && s.app.length > 0) {
      const r = s.records[0]!;
      const chunk = s.app[0]!;
      const n = Math.min(r.bytes.length - r.matched, chunk.length - s.appOffset);
      const wire = r.bytes.subarray(r.matched, r.matched + n);
      const app = chunk.subarray(s.appOffset, s.appOffset + n);
      if (r.equal && Buffer.compare(wire, app) !== 0) {
        r.equal = false;
        r.firstDifference = r.matched + wire.findIndex((b, i) => b !== app[i]);
      }
      r.matched += n;
      s.appOffset += n;
      s.queuedBytes -= 2 * n;
      if (s.appOffset === chunk.length) {
        s.app.shift();
        s.appOffset = 0;
      }
      if (r.matched === r.bytes.length) {
        s.records.shift();
        this.report(dir, r);
      }
    }
  }

  private report(dir: WitnessDir, r: PendingRecord): void {
    const withheld = this.o.disclosure.withheld();
    const preview = previewOf(r.bytes);
    if (withheld) this.o.disclosure.holdWitness({ dir, recordIndex: r.index, preview });
    const shown = withheld ? '' : ` "${preview}"`;
    const side = dir === 'out' ? 'wrote' : 'read';
    const summary = r.equal
      ? `Record #${r.index} decrypted independently = the app's own bytes ✓${shown}`
      : `RECORD #${r.index} DECRYPTED INDEPENDENTLY IS NOT WHAT THE APP ${side.toUpperCase()}: THE BYTES DIFFER FROM BYTE ${r.firstDifference} ON ✗${shown}`;
    this.o.emit({
      conn: this.o.conn,
      dir,
      layer: 'record',
      kind: 'tls.witness',
      summary: withheld ? `${summary} (text withheld: the peer is not trusted)` : summary,
      detail: withheld ? { recordIndex: r.index, bytes: r.bytes.length, equal: r.equal, preview: '', withheld } : { recordIndex: r.index, bytes: r.bytes.length, equal: r.equal, preview },
    });
  }

  /**
   * A record of the application epoch that the decryptor could not open. A failed tag is a real
   * finding (these bytes are not what the sender's TLS sealed): loud. Anything else (sampling, a
   * missing key) just means there is nothing to compare. Either way the byte streams can no
   * longer be lined up, so this direction stops here.
   */
  private unreadable(dir: WitnessDir, recordIndex: number, why: NotOpened): void {
    const reason = why.text;
    const cause: Exclude<WitnessStop, 'fell-behind'> = why.cause !== 'tag-mismatch' ? 'not-opened' : why.replayOf !== undefined ? 'replay' : 'tag-mismatch';
    const summaries: Record<typeof cause, string> = {
      replay: `RECORD #${recordIndex} IS A REPLAYED COPY: ITS SEQUENCE NUMBER IS USED UP, SO IT FAILS THE INTEGRITY CHECK AND IS NOT PART OF THE CONVERSATION (${reason}). No longer comparing this direction.`,
      'tag-mismatch': `RECORD #${recordIndex} ON THE WIRE DOES NOT DECRYPT: IT IS NOT WHAT THE SENDER'S TLS SEALED (${reason}). No longer comparing this direction.`,
      'not-opened': `Record #${recordIndex} was not decrypted independently (${reason}): nothing to compare, and no longer comparing this direction.`,
    };
    this.stop(dir, cause, reason, recordIndex, summaries[cause]);
  }

  private checkBytes(dir: WitnessDir): void {
    const s = this.streams[dir];
    if (s.queuedBytes > this.maxBytes) {
      const behind = s.records.length > 0 ? 'the app' : 'the decryptor';
      this.stop(dir, 'fell-behind', `${s.queuedBytes} bytes waited because ${behind} fell behind`);
    }
  }

  /** Report once that this direction is no longer compared, and let go of what it held. */
  private stop(dir: WitnessDir, cause: WitnessStop, why: string, recordIndex?: number, summary?: string): void {
    const s = this.streams[dir];
    const index = recordIndex ?? s.records[0]?.index ?? -1;
    s.stopped = true;
    release(s);
    this.o.emit({
      conn: this.o.conn,
      dir,
      layer: 'record',
      kind: 'tls.witness',
      summary: summary ?? `The witness stopped comparing this direction (${why}); the records themselves are still shown.`,
      detail: { recordIndex: index, bytes: 0, equal: false, preview: '', unchecked: why, cause },
    });
  }
}

function blankStream(): Stream {
  return { records: [], app: [], appOffset: 0, queuedBytes: 0, stopped: false };
}

function release(s: Stream): void {
  s.records = [];
  s.app = [];
  s.appOffset = 0;
  s.queuedBytes = 0;
}

/**
 * What the audience should read: the text of a chat frame when the record holds one (`"meet at
 * 6"`), otherwise the record's first characters on one line.
 */
export function previewOf(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('utf8');
  const quoted = /"text":"((?:[^"\\]|\\.)*)"/.exec(text);
  let shown = text;
  if (quoted) {
    try {
      shown = JSON.parse(`"${quoted[1]}"`) as string;
    } catch {
      shown = quoted[1]!;
    }
  }
  const oneLine = shown.replace(/\s+/g, ' ').trim();
  return oneLine.length > PREVIEW_CHARS ? `${oneLine.slice(0, PREVIEW_CHARS)}…` : oneLine;
}
