/**
 * One connection through Eve when she does not terminate TLS (passive, tamper, replay): bytes go
 * from the dialer to the listener and back, split into TLS records on the way. Without keys she
 * sees the hellos in the clear and ciphertext after them; that is all an eavesdropper gets.
 * Tamper flips one bit in one record; replay sends one record twice. Either way the receiver's
 * AEAD check is what stops her, and her verdict says what she saw happen next.
 */
import type { Socket } from 'node:net';

import type { EventInput } from '../../../shared/events';
import { ConnectionDisclosure } from '../tls/disclosure';
import { createRecordObserver, type RecordObserver } from '../tls/record-observer';
import { ContentType } from '../tls/tls-names';
import { asciiPreview, hexPreview, RecordCursor, type RecordPlan, type RecordSeen, type RecordStart } from './record-cursor';
import type { EveMode, Side } from './types';

/** A TLS 1.3 alert record: 2 bytes of alert + 1 content-type byte + a 16-byte tag (RFC 8446 §5.2). */
const ALERT_RECORD_BODY = 2 + 1 + 16;
/** Keep clear of the record header: the receiver cannot tell which bit changed, only that one did. */
const FLIP = { bodyOffset: 2, bit: 0 };

export interface RelayOptions {
  conn: string;
  mode: Exclude<EveMode, 'impostor'>;
  emit: (event: EventInput) => void;
  /** Asked once per connection: may this connection carry the one-time attack? */
  claimAttack: () => boolean;
}

interface Counts {
  records: number;
  bytes: number;
  clear: number;
  encrypted: number;
}

export class Relay {
  private readonly observer: RecordObserver;
  private readonly counts: Record<Side, Counts> = { dialer: blankCounts(), listener: blankCounts() };
  private readonly cursors: Record<Side, RecordCursor>;
  /** Tamper/replay: the dialer's protected records after the listener's first post-handshake one. */
  private armed = false;
  private dialerProtected = false;
  private attack: { index: number; length: number; flipped?: { byteOffset: number; bit: number } } | null = null;
  private attackClaimed = false;
  private afterAttack: { alerts: number; other: number } = { alerts: 0, other: 0 };
  private firstToClose: Side | null = null;
  private closedSides = 0;
  private readonly seenRecords: RecordSeen[] = [];
  private done = false;

  constructor(
    private readonly dialer: Socket,
    private readonly listener: Socket,
    private readonly o: RelayOptions,
  ) {
    // Eve is no TLS endpoint: no keylog will come. As a listener would, she calls the dialer's
    // bytes 'in' and the listener's 'out'.
    // Never trusted: she holds no keys, and if she ever did, no plaintext would leave through her.
    const disclosure = new ConnectionDisclosure(o.conn, () => undefined);
    this.observer = createRecordObserver({ role: 'listener', conn: o.conn, emit: (e) => o.emit(asEve(e)), disclosure, expectKeys: false });
    this.cursors = {
      dialer: new RecordCursor({ plan: (r) => this.plan('dialer', r), seen: (r) => this.seenRecords.push(r) }),
      listener: new RecordCursor({ plan: (r) => this.plan('listener', r), seen: (r) => this.seenRecords.push(r) }),
    };
    this.pipe(dialer, listener, 'dialer');
    this.pipe(listener, dialer, 'listener');
  }

  private pipe(from: Socket, to: Socket, side: Side): void {
    from.on('data', (chunk: Buffer) => {
      const pieces = this.cursors[side].push(chunk);
      for (const piece of pieces) {
        this.observer.onBytes(side === 'dialer' ? 'in' : 'out', piece);
        if (!to.write(piece)) from.pause();
      }
      // Eve's account of each record follows the observer's view of the same bytes.
      for (const record of this.seenRecords.splice(0)) this.seen(side, record);
    });
    to.on('drain', () => from.resume());
    from.on('end', () => {
      this.firstToClose ??= side;
      to.end();
    });
    from.on('error', () => {
      // A reset (ECONNRESET) is this side hanging up: it must count before the other side's close,
      // which destroying `to` here emits first.
      this.firstToClose ??= side;
      to.destroy();
    });
    from.on('close', () => {
      this.firstToClose ??= side;
      to.destroy();
      if (++this.closedSides === 2) this.finish();
    });
  }

  /**
   * Causality, not timing, says when the handshake is over: the listener's protected records that
   * come after the dialer's first protected one (its Certificate…Finished flight) can only be
   * sent once the listener has read that flight — tickets, then its hello. Every dialer record
   * from then on is application data. The first of them is the dialer's Lockstep hello or, when
   * the hello slipped through before the listener answered, its first message: the dialer sends
   * its hello without waiting, and the wire does not say which record is which.
   */
  private plan(side: Side, r: RecordStart): RecordPlan | void {
    const isProtected = r.contentType === ContentType.applicationData;
    if (side === 'listener') {
      if (isProtected && this.dialerProtected) this.armed = true;
      return;
    }
    if (isProtected) this.dialerProtected = true;
    if (!isProtected || !this.armed || this.o.mode === 'passive' || this.attack || this.attackClaimed) return;
    this.attackClaimed = true;
    if (!this.o.claimAttack()) return;
    this.attack = { index: r.index, length: r.length };
    return this.o.mode === 'tamper' ? { flip: FLIP } : { duplicate: true };
  }

  private seen(side: Side, r: RecordSeen): void {
    const c = this.counts[side];
    c.records += 1;
    c.bytes += 5 + r.length;
    if (r.contentType === ContentType.applicationData) c.encrypted += 1;
    else c.clear += 1;
    if (this.attack && side === 'listener') {
      if (r.contentType === ContentType.applicationData && r.length === ALERT_RECORD_BODY) this.afterAttack.alerts += 1;
      else this.afterAttack.other += 1;
    }
    if (r.flipped && this.attack) this.attack.flipped = r.flipped;
    const action = r.flipped ? 'flipped' : r.duplicated ? 'replayed' : 'relayed';
    this.o.emit({
      conn: this.o.conn,
      dir: side === 'dialer' ? 'in' : 'out',
      layer: 'drill',
      kind: 'drill.eve',
      summary: eveRecordSentence(side, r, action),
      detail: { mode: this.o.mode, action, from: side, bytes: 5 + r.length, hex: hexPreview(r.head), ascii: asciiPreview(r.head), recordIndex: r.index, flipped: r.flipped },
    });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.observer.flush('the connection closed');
    this.o.emit({ conn: this.o.conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', ...this.verdict() });
  }

  private verdict(): { summary: string; detail: { drill: 'eavesdropper' | 'tamper' | 'replay'; outcome: 'defeated' | 'succeeded' | 'observed'; reason: string } } {
    const total = this.counts.dialer.records + this.counts.listener.records;
    const bytes = this.counts.dialer.bytes + this.counts.listener.bytes;
    const clear = this.counts.dialer.clear + this.counts.listener.clear;
    if (this.o.mode === 'passive' || !this.attack) {
      const reason =
        `Eve saw ${total} records, ${bytes} bytes, and no readable message: ${clear} records in the clear ` +
        `(the hellos and change_cipher_spec: offers, key shares, no secrets) and ${total - clear} encrypted ones she has no key to open.`;
      const waiting = this.o.mode === 'passive' ? '' : ` (no ${this.o.mode} on this connection${this.attackClaimed ? ': the one-time attack was already used' : ': no application record from the dialer after the handshake'})`;
      return { summary: reason + waiting, detail: { drill: 'eavesdropper', outcome: 'observed', reason: reason + waiting } };
    }
    const a = this.attack;
    const what =
      this.o.mode === 'tamper'
        ? `Eve flipped bit ${a.flipped?.bit ?? FLIP.bit} of byte ${a.flipped?.byteOffset ?? '?'} in record #${a.index} from the dialer (${5 + a.length} bytes of ciphertext).`
        : `Eve recorded record #${a.index} from the dialer (${5 + a.length} bytes) and sent a copy right after the original.`;
    // What she can see of the receiver's reaction: an alert-sized record, and who hung up first.
    const detected = this.afterAttack.alerts > 0 || this.firstToClose === 'listener';
    const answered =
      this.afterAttack.alerts > 0
        ? 'The listener answered with an encrypted record the size of an alert and closed the connection:'
        : 'The listener closed the connection:';
    const why =
      this.o.mode === 'tamper'
        ? 'it checked the AEAD tag, found the record altered (bad_record_mac) and dropped the connection; nothing corrupt was delivered. The sender will resend on a new connection, which Eve leaves alone.'
        : "it accepted the original and rejected the copy: it expected the next sequence number, so the copy's nonce did not fit (bad_record_mac). The message was delivered once, not twice.";
    if (!detected) {
      const reason = `${what} THE LISTENER DID NOT HANG UP: the ${this.o.mode} may have gone unnoticed.`;
      return { summary: `${this.o.mode.toUpperCase()} NOT DETECTED? ${reason}`, detail: { drill: this.o.mode, outcome: 'succeeded', reason } };
    }
    const reason = `${what} ${answered} ${why}`;
    return { summary: `${this.o.mode === 'tamper' ? 'Tamper' : 'Replay'} defeated. ${reason}`, detail: { drill: this.o.mode, outcome: 'defeated', reason } };
  }
}

function blankCounts(): Counts {
  return { records: 0, bytes: 0, clear: 0, encrypted: 0 };
}

function eveRecordSentence(side: Side, r: RecordSeen, action: 'relayed' | 'flipped' | 'replayed'): string {
  const from = side === 'dialer' ? 'the dialer' : 'the listener';
  const kind =
    r.contentType === ContentType.handshake
      ? 'a handshake record in the clear'
      : r.contentType === ContentType.changeCipherSpec
        ? 'a change_cipher_spec record (in the clear, meaningless)'
        : r.contentType === ContentType.alert
          ? 'an alert in the clear'
          : 'an encrypted record: ciphertext only';
  const bytes = `${5 + r.length} bytes`;
  if (action === 'flipped') return `Eve flipped bit ${r.flipped!.bit} of byte ${r.flipped!.byteOffset} in record #${r.index} from ${from} (${bytes}) and sent it on.`;
  if (action === 'replayed') return `Eve relayed record #${r.index} from ${from} (${bytes}) and then sent an exact copy of it.`;
  return `Eve relayed record #${r.index} from ${from}, ${kind} (${bytes}): ${hexPreview(r.head, 12)}`;
}

/** The observer speaks as a TLS endpoint; on Eve's stream an unopened record means she has no key. */
function asEve(e: EventInput): EventInput {
  if (e.kind !== 'tls.record' || !e.detail.encrypted || !e.detail.undecryptable) return e;
  return { ...e, summary: `Encrypted record, ${e.detail.length} bytes on the wire: ciphertext only, Eve has no key to open it` };
}
