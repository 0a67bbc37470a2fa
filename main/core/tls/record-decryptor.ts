/**
 * Independent decryption of one direction of a TLS 1.3 connection (one sender's records).
 *
 * Records must be opened in order: which key and sequence number a record uses depends on what
 * the earlier records carried (a Finished ends the handshake epoch, a KeyUpdate ratchets the
 * application secret). Secrets come from the keylog, which can fire after the tap has already
 * seen the records that need them, so records wait in a bounded FIFO until their key arrives and
 * come out in their original order.
 *
 * Sequence numbers (RFC 8446 §5.3) count every protected record under one key, starting at 0;
 * change_cipher_spec and other plaintext records are not protected and not counted. A record
 * whose tag fails still used up its sequence number on the sender's side (the sender encrypted
 * it with that nonce; the bytes were altered afterwards, or we hold the wrong key), so it is
 * counted too: the next record is opened at n+1, not retried at n.
 */
import type { UnopenedCause } from '../../../shared/events';
import type { TlsRecord } from './record-splitter';
import { HandshakeReassembler } from './hello-parser';
import type { KeyedAead } from './keyed-aead';
import { cipherSuite, nextTrafficSecret, recordNonce, trafficKeys, type CipherSuite, type TrafficKeys } from './key-schedule';
import { cipherSuiteName, ContentType, handshakeTypeName, HandshakeType } from './tls-names';

export type Sender = 'client' | 'server';
export type Epoch = 'handshake' | 'application';

export interface Opened {
  epoch: Epoch;
  sequence: number;
  nonce: Uint8Array;
  tag: Uint8Array;
  innerContentType: number;
  /** TLSInnerPlaintext.content: the padding and the content type byte stripped (RFC 8446 §5.2). */
  content: Uint8Array;
  handshakeMessages: string[];
  /** Set when the decryptor had to resynchronise to open this record. */
  note?: string;
}

export interface Released<C> {
  ctx: C;
  record: TlsRecord;
  /** Outer type application_data: every TLS 1.3 protected record (RFC 8446 §5.2). */
  encrypted: boolean;
  opened?: Opened;
  undecryptable?: string;
  /** Set whenever `undecryptable` is: the same reason as a fact. */
  cause?: UnopenedCause;
}

/** Why a record was not opened: the fact, and the words for people. */
export interface NotOpened {
  cause: UnopenedCause;
  text: string;
  /** Set by the record observer on a failed record that is an exact copy of this earlier one: a replay. */
  replayOf?: number;
}

export interface DecryptorOptions<C> {
  /** Records held while waiting for keys; past this the oldest is given up on. */
  maxPending?: number;
  /** false: no keylog will ever come (a relay), so never hold records back. */
  waitForKeys?: boolean;
  /** Return false to count an application-epoch record without decrypting it (bulk sampling). */
  shouldDecrypt?: (ctx: C, record: TlsRecord) => boolean;
}

interface Pending<C> {
  record: TlsRecord;
  ctx: C;
}

export class DirectionDecryptor<C> {
  private suite: CipherSuite | null = null;
  private suiteProblem: NotOpened | null = null;
  private epoch: Epoch = 'handshake';
  private sequence = 0;
  private readonly secrets: Partial<Record<Epoch, Uint8Array>> = {};
  /** The current epoch's key and IV, and its AEAD keyed once (not per record). */
  private keys: OpenKeys | null = null;
  private handshake = new HandshakeReassembler();
  private readonly queue: Pending<C>[] = [];
  private readonly maxPending: number;
  private resynced = false;

  constructor(
    readonly sender: Sender,
    private readonly options: DecryptorOptions<C> = {},
  ) {
    this.maxPending = options.maxPending ?? 64;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The suite chosen in the ServerHello (RFC 8446 §4.1.3). */
  setSuite(code: number): Released<C>[] {
    this.suite = cipherSuite(code);
    this.suiteProblem = this.suite ? null : { cause: 'unsupported-suite', text: `${cipherSuiteName(code)} is not supported by the independent decryptor` };
    this.keys = null;
    return this.drain();
  }

  /** A traffic secret of this sender from the keylog: handshake, or application_traffic_secret_0. */
  setSecret(epoch: Epoch, secret: Uint8Array): Released<C>[] {
    if (this.secrets[epoch]) return this.drain(); // a repeat must not undo KeyUpdate ratchets
    this.secrets[epoch] = secret;
    if (epoch === this.epoch) this.keys = null;
    return this.drain();
  }

  /** Whether this sender's records are still under handshake keys (or none came yet). */
  get inHandshake(): boolean {
    return this.epoch === 'handshake';
  }

  submit(record: TlsRecord, ctx: C): Released<C>[] {
    this.queue.push({ record, ctx });
    return this.drain();
  }


  /** Give up waiting: release everything still held, counted in the current epoch (best guess). */
  flush(reason: string): Released<C>[] {
    const out: Released<C>[] = [];
    for (const p of this.queue.splice(0)) out.push(this.giveUp(p, { cause: 'no-key', text: reason }));
    return out;
  }

  private drain(): Released<C>[] {
    const out: Released<C>[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const missing = head.record.contentType === ContentType.applicationData ? this.missingKey() : null;
      if (missing && this.shouldWait(missing)) break;
      this.queue.shift();
      out.push(missing ? this.giveUp(head, missing) : this.release(head));
    }
    return out;
  }

  private shouldWait(missing: NotOpened): boolean {
    if (this.suiteProblem === missing || this.options.waitForKeys === false) return false;
    return this.queue.length <= this.maxPending;
  }

  private missingKey(): NotOpened | null {
    if (this.suiteProblem) return this.suiteProblem;
    if (!this.suite) return { cause: 'no-suite', text: 'cipher suite not known yet (no ServerHello seen)' };
    if (!this.secrets[this.epoch]) return { cause: 'no-key', text: `no ${this.sender} ${this.epoch} traffic secret from the keylog` };
    return null;
  }

  private giveUp(p: Pending<C>, why: NotOpened): Released<C> {
    const encrypted = p.record.contentType === ContentType.applicationData;
    if (encrypted) this.sequence++;
    return encrypted ? { ctx: p.ctx, record: p.record, encrypted, undecryptable: why.text, cause: why.cause } : this.release(p);
  }

  private release(p: Pending<C>): Released<C> {
    const { record, ctx } = p;
    if (record.contentType !== ContentType.applicationData) return { ctx, record, encrypted: false };
    if (this.epoch === 'application' && this.options.shouldDecrypt?.(ctx, record) === false) {
      this.sequence++;
      return { ctx, record, encrypted: true, undecryptable: 'not decrypted: bulk traffic is sampled', cause: 'sampled' };
    }
    return { ctx, record, encrypted: true, ...this.open(record) };
  }

  private currentKeys(): OpenKeys {
    this.keys ??= openKeys(this.suite!, this.secrets[this.epoch]!);
    return this.keys;
  }

  private open(record: TlsRecord): { opened?: Opened; undecryptable?: string; cause?: UnopenedCause } {
    const s = this.suite!;
    if (record.body.length < s.tagLength + 1) {
      this.sequence++;
      return { undecryptable: `record of ${record.body.length} bytes is too short to hold a ${s.tagLength}-byte tag`, cause: 'too-short' };
    }
    const seq = this.sequence;
    const plain = tryOpen(s, this.currentKeys(), seq, record) ?? this.resync(record);
    if (!plain) {
      this.sequence++;
      return { undecryptable: `tag mismatch at ${this.epoch} sequence ${seq}: the record was altered in flight or the keys are wrong`, cause: 'tag-mismatch' };
    }
    return this.accept(record, plain);
  }

  /**
   * The current key failed. If we missed a key change (a Finished or KeyUpdate inside a record we
   * could not read), the record was sealed under the next key at sequence 0: try that once.
   */
  private resync(record: TlsRecord): Uint8Array | null {
    const s = this.suite!;
    const next = this.epoch === 'handshake' ? this.secrets.application : nextTrafficSecret(s, this.secrets.application!);
    if (!next) return null;
    const keys = openKeys(s, next);
    const plain = tryOpen(s, keys, 0, record);
    if (!plain) return null;
    this.enterEpoch('application', next);
    this.keys = keys;
    this.resynced = true;
    return plain;
  }

  private accept(record: TlsRecord, plain: Uint8Array): { opened?: Opened; undecryptable?: string; cause?: UnopenedCause } {
    const s = this.suite!;
    const opened: Opened = {
      epoch: this.epoch,
      sequence: this.sequence,
      nonce: recordNonce(this.currentKeys().iv, this.sequence),
      tag: record.body.subarray(record.body.length - s.tagLength),
      innerContentType: 0,
      content: new Uint8Array(0),
      handshakeMessages: [],
    };
    if (this.resynced) opened.note = 'resynchronised: a key change was hidden in a record that could not be read';
    this.resynced = false;
    this.sequence++;
    const inner = stripPadding(plain);
    if (!inner) return { opened, undecryptable: 'decrypted, but the inner plaintext is all padding (no content type)', cause: 'no-content-type' };
    opened.innerContentType = inner.type;
    opened.content = inner.content;
    if (inner.type === ContentType.handshake) opened.handshakeMessages = this.readHandshake(inner.content);
    return { opened };
  }

  /** Name the handshake messages; a Finished or KeyUpdate changes this sender's key afterwards. */
  private readHandshake(content: Uint8Array): string[] {
    const r = this.handshake.push(content);
    const names = r.messages.map((m) => handshakeTypeName(m.type));
    if (r.partial !== null) names.push(`${handshakeTypeName(r.partial)} (continues)`);
    if (r.error) names.push(`(${r.error})`);
    for (const m of r.messages) {
      // RFC 8446 §4.4.4: after its Finished a sender switches to application_traffic_secret_0.
      if (m.type === HandshakeType.finished && this.epoch === 'handshake') this.enterEpoch('application', this.secrets.application);
      // RFC 8446 §4.6.3: after sending KeyUpdate, the sender uses the next generation of keys.
      else if (m.type === HandshakeType.keyUpdate && this.epoch === 'application' && this.secrets.application) {
        this.enterEpoch('application', nextTrafficSecret(this.suite!, this.secrets.application));
      }
    }
    return names;
  }

  private enterEpoch(epoch: Epoch, secret: Uint8Array | undefined): void {
    this.epoch = epoch;
    this.sequence = 0;
    this.keys = null;
    this.handshake = new HandshakeReassembler(); // RFC 8446 §5.1: messages never span key changes
    if (secret) this.secrets[epoch] = secret;
    else delete this.secrets[epoch];
  }
}

interface OpenKeys extends TrafficKeys {
  aead: KeyedAead;
}

function openKeys(s: CipherSuite, secret: Uint8Array): OpenKeys {
  const keys = trafficKeys(s, secret);
  return { ...keys, aead: s.keyed(keys.key) };
}

function tryOpen(s: CipherSuite, keys: OpenKeys, sequence: number, record: TlsRecord): Uint8Array | null {
  if (record.body.length < s.tagLength) return null;
  try {
    // RFC 8446 §5.2: the additional data is the record header itself.
    return keys.aead.open(recordNonce(keys.iv, sequence), record.header, record.body);
  } catch {
    return null;
  }
}

/** RFC 8446 §5.4: zeros after the content are padding; the last non-zero byte is the type. */
function stripPadding(plain: Uint8Array): { type: number; content: Uint8Array } | null {
  let i = plain.length - 1;
  while (i >= 0 && plain[i] === 0) i--;
  if (i < 0) return null;
  return { type: plain[i]!, content: plain.subarray(0, i) };
}
