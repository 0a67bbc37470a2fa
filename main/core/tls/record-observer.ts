/**
 * Turns the tap's bytes and the socket's keylog lines into panel events: one `tls.record` per
 * record in each direction, `tls.hello` for the hellos sent in the clear, `tls.keylog` for each
 * secret announced, `tls.error` for alerts and broken streams. Everything comes from the bytes
 * that really crossed the wire; the decryption is done here again, independently of OpenSSL.
 *
 * With `slots` (engine connections), encrypted records are decrypted after their bytes passed,
 * so nothing the peer waits for waits for this second decryption: the handshake's records once
 * this side's handshake and its checks are done (`handshakeDone`), so neither side's pin check
 * and `hello` wait for them, and each later record a turn late, so the commit and the ack of a
 * message do not either. Each record keeps the place on the event bus it took as it passed. With
 * each side on its own machine a turn's delay already takes the observer off the round trip
 * (bench/two-process.ts); holding the handshake's records until this side is done also keeps a
 * listener's decryption out of the dialer's handshake when both share one machine.
 */
import type { EventInput, HelloSummary, RecordDetail, Role, TlsFailure } from '../../../shared/events';
import type { EventSlot } from '../events/event-bus';
import { type Disclosure, guardHelloStrings } from './disclosure';
import { HandshakeReassembler, parseHello, toHex, type ParsedHello } from './hello-parser';
import { parseKeylogLine } from './key-schedule';
import { DirectionDecryptor, type Epoch, type NotOpened, type Released, type Sender } from './record-decryptor';
import { RecordSplitter, type TlsRecord } from './record-splitter';
import {
  alertSentence,
  helloSentence,
  keylogSentence,
  openedSentence,
  plaintextRecordSentence,
  undecryptableSentence,
  withheldSentence,
} from './record-summary';
import { alertFailure, alertLevelName, alertName, contentTypeName, ContentType, handshakeTypeName, HandshakeType } from './tls-names';

export type WireDir = 'in' | 'out';

export interface BulkSample {
  dir: WireDir;
  index: number;
  length: number;
}

export interface RecordObserverOptions {
  role: Role;
  conn: string;
  /** `slot`: the place on the bus a deferred record took when its bytes passed (see `slots`). */
  emit: (e: EventInput, slot?: EventSlot) => void;
  /** Whether application plaintext may go into events yet (see disclosure.ts): required, so no connection forgets it. */
  disclosure: Disclosure;
  /** Demo mode only: put the keylog secrets themselves into `tls.keylog` events. */
  revealSecrets?: boolean;
  /** Asked for each application record: return false to count it without decrypting it. */
  sampleBulk?: (record: BulkSample) => boolean;
  /** false when this side is not a TLS endpoint (a relay): no keylog will come. Default true. */
  expectKeys?: boolean;
  /** How long records wait for a late keylog line before they are reported undecryptable. */
  keyWaitMs?: number;
  maxPendingRecords?: number;
  /**
   * Each protected record of the application epoch, in order per direction: its decrypted
   * application bytes, or null with the reason when it was not opened (sampled out, tag failure,
   * no key). Records whose inner type is not application_data (NewSessionTicket, KeyUpdate,
   * alerts) are not passed. For the plaintext witness.
   */
  onPlaintext?: (dir: WireDir, recordIndex: number, bytes: Uint8Array | null, why?: NotOpened) => void;
  /** Each hello parsed from the wire, with its whole size (handshake header included): the key exchange. */
  onHello?: (hello: HelloSummary, bytes: number) => void;
  /**
   * Decrypt off the connection's critical path (the pin check, the hellos and the acks never wait
   * for it): each encrypted record takes its place on the event bus as its bytes pass
   * (`reserve()`), and is decrypted and reported later with that place, so every reader that
   * orders by seq sees it where it was on the wire: the handshake's records on the turn after
   * `handshakeDone`, each later record on the turn after its bytes. The hellos in the clear are still
   * read at once (the key exchange in `tls.secure` comes from them). A direction with more than
   * MAX_DEFERRED_BYTES waiting is decoded at once, so a burst read in one turn holds bounded
   * memory and the witness's app bytes never run far ahead. Absent: decoded as it passes.
   */
  slots?: { reserve(): EventSlot };
}

export interface RecordObserver {
  onBytes(dir: WireDir, chunk: Uint8Array): void;
  onKeylog(line: Uint8Array | string): void;
  /**
   * This side's handshake is over and its checks are done (the pin, the certificate): the
   * handshake's records, held until now (see `slots`), are decoded on the next turn.
   */
  handshakeDone(): void;
  /** Decode now what waits (see `slots`): before the connection is reported closed. */
  drain(): void;
  /** Report every record still waiting for keys (call when the connection closes). */
  flush(reason?: string): void;
}

interface Ctx {
  dir: WireDir;
  index: number;
  /** Where this record's events go on the bus, when it was decoded after its turn. */
  slot?: EventSlot;
}

/** What waits in a direction's queue while the handshake is decoded off the critical path. */
type Queued = { record: TlsRecord; ctx: Ctx } | { epoch: Epoch; secret: Uint8Array };

interface Side {
  dir: WireDir;
  splitter: RecordSplitter;
  clear: HandshakeReassembler;
  decryptor: DirectionDecryptor<Ctx>;
  records: number;
  /** The last protected record of this direction, to recognise an exact copy (a replay). */
  lastProtected: { index: number; body: Uint8Array } | null;
  /** Records and secrets of this direction not decoded yet, in their order (see `slots`). */
  queue: Queued[];
  /** The bytes of the records in `queue`. */
  queuedBytes: number;
  /** Whether the keylog has announced a secret for this direction yet. */
  keyed: boolean;
}

/** Record bytes one direction may hold for the next turn before they are decoded at once (see `slots`). */
export const MAX_DEFERRED_BYTES = 256 * 1024;

const KEYLOG_TARGETS: Record<string, [Sender, Epoch]> = {
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: ['client', 'handshake'],
  SERVER_HANDSHAKE_TRAFFIC_SECRET: ['server', 'handshake'],
  CLIENT_TRAFFIC_SECRET_0: ['client', 'application'],
  SERVER_TRAFFIC_SECRET_0: ['server', 'application'],
};

export function createRecordObserver(options: RecordObserverOptions): RecordObserver {
  return new Observer(options);
}

class Observer implements RecordObserver {
  private readonly sides: Record<WireDir, Side>;
  private clientRandom: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Whether encrypted records are decoded on the next turn (see `slots`): until the connection is flushed. */
  private deferring: boolean;
  /** Whether queued records wait for `handshakeDone` rather than for the next turn (see `slots`). */
  private holding: boolean;
  private scheduled = false;

  constructor(private readonly o: RecordObserverOptions) {
    this.sides = { in: this.makeSide('in'), out: this.makeSide('out') };
    this.deferring = o.slots !== undefined;
    this.holding = this.deferring;
  }

  /**
   * An encrypted record while deferring, or any record behind a record this direction queued.
   * Not behind a queued secret alone: a listener's keylog lines come before its ServerHello is
   * written, and the hello in the clear needs no key (the key exchange in `tls.secure` reads it).
   */
  private shouldQueue(side: Side, record: TlsRecord): boolean {
    return (this.deferring && record.contentType === ContentType.applicationData) || side.queue.some((item) => 'record' in item);
  }

  private schedule(): void {
    if (this.scheduled || this.holding) return;
    this.scheduled = true;
    setImmediate(() => this.catchUp());
  }

  /** Give the queued records that were waiting for a key their place on the bus: here. */
  private placeWaiting(side: Side): void {
    for (const item of side.queue) if ('record' in item && !item.ctx.slot) item.ctx.slot = this.o.slots!.reserve();
  }

  /** Decode what was queued, in order (both directions: a ServerHello's suite serves both). */
  private catchUp(): void {
    this.scheduled = false;
    for (const side of [this.sides.out, this.sides.in]) {
      if (this.o.slots) this.placeWaiting(side);
      side.queuedBytes = 0;
      for (const item of side.queue.splice(0)) {
        if ('record' in item) this.handle(side.decryptor.submit(item.record, item.ctx));
        else this.handle(side.decryptor.setSecret(item.epoch, item.secret));
      }
    }
    this.armTimer();
  }

  private makeSide(dir: WireDir): Side {
    const sample = this.o.sampleBulk;
    const decryptor = new DirectionDecryptor<Ctx>(this.senderOf(dir), {
      maxPending: this.o.maxPendingRecords ?? 64,
      waitForKeys: this.o.expectKeys !== false,
      shouldDecrypt: sample ? (ctx, r) => sample({ dir: ctx.dir, index: ctx.index, length: r.length }) : undefined,
    });
    return { dir, splitter: new RecordSplitter(), clear: new HandshakeReassembler(), decryptor, records: 0, lastProtected: null, queue: [], queuedBytes: 0, keyed: false };
  }

  /** A dialer is the TLS client: its 'out' is client→server; a listener's 'out' is server→client. */
  private senderOf(dir: WireDir): Sender {
    return (dir === 'out') === (this.o.role === 'dialer') ? 'client' : 'server';
  }

  private sideOf(sender: Sender): Side {
    return this.senderOf('out') === sender ? this.sides.out : this.sides.in;
  }

  onBytes(dir: WireDir, chunk: Uint8Array): void {
    const side = this.sides[dir];
    if (side.splitter.failed) return;
    const { records, error } = side.splitter.push(chunk);
    // One by one: a ServerHello's suite must be set before the next record is judged.
    for (const record of records) {
      const ctx: Ctx = { dir, index: side.records++ };
      if (this.o.slots && this.shouldQueue(side, record)) {
        // Its place is where decoding at once would have reported it: now if its key is known,
        // else just after the keylog line that brings the key (see onKeylog).
        if (side.keyed) ctx.slot = this.o.slots.reserve();
        side.queue.push({ record, ctx });
        side.queuedBytes += record.body.length;
        this.schedule();
      } else this.handle(side.decryptor.submit(record, ctx));
    }
    if (side.queuedBytes > MAX_DEFERRED_BYTES) this.catchUp();
    if (error) {
      this.emitError(dir, 'TLS_RECORD_ERROR', `Not a valid TLS record stream (${dir}): ${error.error}; stopped decoding this direction`, null);
    }
    this.armTimer();
  }

  onKeylog(line: Uint8Array | string): void {
    const entry = parseKeylogLine(line);
    if (!entry) return;
    const foreign = this.clientRandom !== null && entry.clientRandom !== this.clientRandom;
    const detail = { label: entry.label, clientRandom: entry.clientRandom, ...(this.o.revealSecrets ? { secret: entry.secretHex } : {}) };
    const summary = keylogSentence(entry.label, this.o.revealSecrets === true, foreign);
    this.o.emit({ conn: this.o.conn, dir: 'local', layer: 'tls', kind: 'tls.keylog', summary, detail });
    const target = KEYLOG_TARGETS[entry.label];
    if (foreign || !target) return;
    const side = this.sideOf(target[0]);
    side.keyed = true;
    // Deriving the keys is part of the decoding: while deferring it waits in line with the records.
    if (this.deferring) {
      this.placeWaiting(side);
      side.queue.push({ epoch: target[1], secret: entry.secret });
      this.schedule();
    } else this.handle(side.decryptor.setSecret(target[1], entry.secret));
    this.armTimer();
  }

  handshakeDone(): void {
    if (!this.holding) return;
    this.holding = false;
    if (this.sides.in.queue.length + this.sides.out.queue.length > 0) this.schedule();
  }

  drain(): void {
    this.catchUp();
  }

  flush(reason = 'the connection ended before the keylog gave the key'): void {
    this.catchUp();
    this.deferring = false;
    this.clearTimer();
    for (const side of [this.sides.out, this.sides.in]) this.handle(side.decryptor.flush(reason));
  }

  /** Keys normally arrive within the same tick; a record left waiting longer is reported as is. */
  private armTimer(): void {
    // Queued records are decoded on the next turn; only records the decryptor holds wait for keys.
    const waiting = this.sides.in.decryptor.pending + this.sides.out.decryptor.pending > 0;
    if (!waiting) return this.clearTimer();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush('the keylog did not give the key for this record in time');
    }, this.o.keyWaitMs ?? 1000);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private handle(released: Released<Ctx>[]): void {
    for (const r of released) {
      if (r.encrypted) this.emitEncrypted(r);
      else this.emitPlaintext(r);
    }
  }

  private baseDetail(r: Released<Ctx>): RecordDetail {
    return {
      index: r.ctx.index,
      contentType: contentTypeName(r.record.contentType),
      length: r.record.length,
      headerHex: toHex(r.record.header),
      bodyPreview: toHex(r.record.body, 16),
      encrypted: r.encrypted,
    };
  }

  private emitRecord(ctx: Ctx, summary: string, detail: RecordDetail): void {
    this.o.emit({ conn: this.o.conn, dir: ctx.dir, layer: 'record', kind: 'tls.record', summary, detail }, ctx.slot);
  }

  /** The record first, then what it carried: the hellos, and the suite both directions now use. */
  private emitPlaintext(r: Released<Ctx>): void {
    const { record, ctx } = r;
    const clear = record.contentType === ContentType.handshake ? this.readClearHandshake(ctx.dir, record) : { names: [], hellos: [] };
    this.emitRecord(ctx, plaintextRecordSentence(record.contentType, record.body, clear.names), this.baseDetail(r));
    if (record.contentType === ContentType.alert && record.body.length >= 2) this.emitAlert(ctx, record.body, false);
    for (const hello of clear.hellos) {
      const detail = ctx.dir === 'in' ? guardHelloStrings(hello.summary, this.o.disclosure) : hello.summary;
      this.o.emit({ conn: this.o.conn, dir: ctx.dir, layer: 'tls', kind: 'tls.hello', summary: helloSentence(detail), detail }, ctx.slot);
      if (hello.cipherSuite !== null && hello.summary.handshakeType === 'server_hello') this.setSuite(hello.cipherSuite);
    }
  }

  /** Hellos travel in the clear (RFC 8446 §4.1); they may span records, so reassemble first. */
  private readClearHandshake(dir: WireDir, record: TlsRecord): { names: string[]; hellos: ParsedHello[] } {
    const result = this.sides[dir].clear.push(record.body);
    const names = result.messages.map((m) => handshakeTypeName(m.type));
    if (result.partial !== null) names.push(`${handshakeTypeName(result.partial)} (continues)`);
    const hellos: ParsedHello[] = [];
    for (const m of result.messages) {
      if (m.type !== HandshakeType.clientHello && m.type !== HandshakeType.serverHello) continue;
      const hello = parseHello(m.type, m.body);
      if ('error' in hello) this.emitError(dir, 'TLS_HELLO_MALFORMED', hello.error, null);
      else hellos.push(hello);
      if (!('error' in hello)) this.o.onHello?.(hello.summary, 4 + m.body.length);
      if (m.type === HandshakeType.clientHello && !('error' in hello)) this.clientRandom = toHex(hello.random);
    }
    if (result.error) this.emitError(dir, 'TLS_HANDSHAKE_MALFORMED', result.error, null);
    return { names, hellos };
  }

  private setSuite(code: number): void {
    for (const side of [this.sides.out, this.sides.in]) this.handle(side.decryptor.setSuite(code));
  }

  private emitEncrypted(r: Released<Ctx>): void {
    const detail = this.baseDetail(r);
    const o = r.opened;
    const replayOf = this.replayOf(r);
    if (r.undecryptable) {
      detail.undecryptable = replayOf === null ? r.undecryptable : `${r.undecryptable} — an exact copy of record #${replayOf}: a replay`;
      detail.unopened = r.cause ?? 'no-key';
      if (replayOf !== null) detail.replayOf = replayOf;
    }
    this.sides[r.ctx.dir].lastProtected = { index: r.ctx.index, body: r.record.body };
    if (!o) {
      this.emitRecord(r.ctx, undecryptableSentence(r.record.length, detail.undecryptable ?? 'unknown'), detail);
      const why: NotOpened = { cause: detail.unopened ?? 'no-key', text: detail.undecryptable ?? 'not decrypted' };
      this.o.onPlaintext?.(r.ctx.dir, r.ctx.index, null, replayOf === null ? why : { ...why, replayOf });
      return;
    }
    const text = o.innerContentType === ContentType.applicationData ? Buffer.from(o.content).toString('utf8') : undefined;
    const withheld = text === undefined ? null : this.o.disclosure.withheld();
    detail.decrypted = {
      epoch: o.epoch,
      sequence: o.sequence,
      nonceHex: toHex(o.nonce),
      tagHex: toHex(o.tag),
      innerContentType: contentTypeName(o.innerContentType),
      handshakeMessages: o.handshakeMessages,
      ...(text !== undefined && !withheld ? { plaintext: text } : {}),
    };
    if (withheld) {
      detail.withheld = withheld;
      this.o.disclosure.holdRecord({ dir: r.ctx.dir, index: r.ctx.index, plaintext: text! });
    }
    const sentence = withheld
      ? withheldSentence(r.record.length, o.tag.length, withheld)
      : openedSentence(o, r.record.length, o.tag.length, this.senderOf(r.ctx.dir));
    this.emitRecord(r.ctx, o.note ? `${sentence} (${o.note})` : sentence, detail);
    if (o.innerContentType === ContentType.applicationData) this.o.onPlaintext?.(r.ctx.dir, r.ctx.index, o.content);
    if (o.innerContentType === ContentType.alert && o.content.length >= 2) this.emitAlert(r.ctx, o.content, true);
  }

  /**
   * A record that fails its tag and is byte for byte the previous one was replayed: its sequence
   * number is already used, so the nonce the receiver computes no longer fits (RFC 8446 §5.3).
   */
  private replayOf(r: Released<Ctx>): number | null {
    const last = this.sides[r.ctx.dir].lastProtected;
    if (r.cause !== 'tag-mismatch' || !last || !sameBytes(last.body, r.record.body)) return null;
    return last.index;
  }

  /** close_notify is the normal goodbye (RFC 8446 §6.1); every other alert is an error. */
  private emitAlert(ctx: Ctx, body: Uint8Array, encrypted: boolean): void {
    const [level, description] = [body[0]!, body[1]!];
    if (description === 0) return;
    const message = `${alertLevelName(level)} alert ${alertName(description)} (${ctx.dir === 'in' ? 'from the peer' : 'sent by this side'})`;
    this.emitError(ctx.dir, 'TLS_ALERT', message, alertName(description), alertSentence(level, description, encrypted), alertFailure(description), ctx.slot);
  }

  private emitError(dir: WireDir, code: string, message: string, alert: string | null, summary = message, failure: TlsFailure = 'malformed', slot?: EventSlot): void {
    this.o.emit({ conn: this.o.conn, dir, layer: 'tls', kind: 'tls.error', summary, detail: { code, message, alert, failure } }, slot);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
