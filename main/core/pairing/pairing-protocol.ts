/**
 * One pairing attempt with a short code, as a transport-independent state machine.
 *
 * Runs CPace (draft-irtf-cfrg-cpace-21, ristretto255/SHA-512; `cpace.ts`) inside a first TLS
 * connection whose certificates are not pinned yet, in the draft's initiator-responder setting:
 * the dialer (TLS client) is A, the listener (TLS server) is B.
 *
 *   PRS = the normalised code as UTF-8 (`pairing-code.ts`)
 *   CI  = lv_cat("lockstep-pairing-v1", dialer's pin, listener's pin) — the pins as their 32 raw
 *         bytes (SHA-256 of the SPKI), each side using its own certificate and the certificate
 *         the peer presented on this connection
 *   sid = the TLS exporter value: exportKeyingMaterial(32, "EXPORTER-lockstep-pairing")
 *   ADa = "dialer", ADb = "listener" (never sent: implied by the role, so a reflected message
 *         or tag cannot pass for the other role's)
 *   ISK = SHA-512(lv_cat("CPaceRistretto255_ISK", sid, K) || lv_cat(Ya, ADa) || lv_cat(Yb, ADb))
 *   tags (draft §10.4): mac_key = SHA-512("CPaceMac" || sid || ISK),
 *         Ta = HMAC-SHA-512(mac_key, lv_cat(Ya, ADa)), Tb = HMAC-SHA-512(mac_key, lv_cat(Yb, ADb))
 *
 * Flow (frames are the two defined here plus the protocol's `error`):
 *   dialer   → {type:"pair", v:1, y:Ya}            (start)
 *   listener → {type:"pair", v:1, y:Yb}            (start)
 *   dialer   → {type:"pair-confirm", tag:Ta}       (after Yb)
 *   listener → {type:"pair-confirm", tag:Tb}       (after Ya, and only if Ta verified)
 * Any failure — wrong code, a relay (other pins or another exporter on each leg), a tampered
 * share or tag, a malformed or unexpected frame — ends the attempt with PAIRING_FAILED and sends
 * the same `error` frame whatever the cause. One `pair` per attempt: a second one fails it.
 */
import { timingSafeEqual } from 'node:crypto';

import { z } from 'zod';

import { LockstepError } from '../errors';
import { ErrorFrame } from '../wire/protocol';
import {
  calculateGenerator,
  confirmationTag,
  deriveIsk,
  ELEMENT_BYTES,
  HASH_BYTES,
  isIdentity,
  lvCat,
  macKey,
  sampleScalar,
  scalarMult,
  scalarMultVfy,
  transcriptIr,
} from './cpace';
import { pairingPrs } from './pairing-code';
import { PairConfirmFrame, PairFrame } from './pairing-frames';

export { PairConfirmFrame, PairFrame } from './pairing-frames';
export type PairingErrorFrame = z.infer<typeof ErrorFrame>;
/** Every frame a pairing attempt sends. */
export type PairingFrame = PairFrame | PairConfirmFrame | PairingErrorFrame;

export const PAIRING_VERSION = 1;
/** The TLS exporter label (RFC 8446 §7.5) whose value is CPace's sid. */
export const PAIRING_EXPORTER_LABEL = 'EXPORTER-lockstep-pairing';
export const PAIRING_EXPORTER_BYTES = 32;

/**
 * The sid for a pairing attempt on a TLS 1.3 connection (a `tls.TLSSocket` after its handshake):
 * 32 bytes exported with PAIRING_EXPORTER_LABEL and an empty context, which RFC 8446 §7.5 makes
 * the same as no context. Both ends of one connection get the same value; a relay that
 * terminates TLS has two connections and so two different values.
 */
export function pairingExporter(socket: {
  exportKeyingMaterial(length: number, label: string, context: Buffer): Uint8Array;
}): Uint8Array {
  return Uint8Array.from(socket.exportKeyingMaterial(PAIRING_EXPORTER_BYTES, PAIRING_EXPORTER_LABEL, Buffer.alloc(0)));
}

const encoder = new TextEncoder();
const CI_LABEL = encoder.encode('lockstep-pairing-v1');
const AD_DIALER = encoder.encode('dialer');
const AD_LISTENER = encoder.encode('listener');
const PIN_PREFIX = 'sha256/';
const PIN_BYTES = 32;

const Incoming = z.discriminatedUnion('type', [PairFrame, PairConfirmFrame, ErrorFrame]);

export type PairingRole = 'dialer' | 'listener';

/** Why an attempt failed: for logs and the teaching panel only; the peer is never told. */
export type PairingFailureReason =
  | 'malformed-frame' // not a pairing frame, or one that breaks its schema
  | 'unexpected-frame' // a valid frame at the wrong moment (e.g. a second `pair`)
  | 'version' // a `pair` with a version this side does not speak
  | 'invalid-share' // Y does not decode, is the neutral element, or is our own Y reflected
  | 'confirmation-failed' // the peer's tag is wrong: another code, another channel, or tampering
  | 'peer-failed' // the peer sent an `error`
  | 'aborted'; // the caller gave up (timeout, connection closed)

export type PairingResult =
  | { ok: true; peerPin: string }
  | { ok: false; code: 'PAIRING_FAILED'; reason: PairingFailureReason };

export interface PairingStep {
  /** Frames to write to the peer, in order. */
  send: PairingFrame[];
  /** Present once, on the step that ends the attempt. */
  done?: PairingResult;
}

export interface PairingOptions {
  role: PairingRole;
  /** The code as typed; normalised here (throws BAD_PAIRING_CODE if it is not a code). */
  code: string;
  /** `sha256/<base64>` of this side's certificate SPKI. */
  ownPin: string;
  /** `sha256/<base64>` of the SPKI of the certificate the peer presented on this connection. */
  peerPin: string;
  /** `tlsSocket.exportKeyingMaterial(32, PAIRING_EXPORTER_LABEL)` of this connection. */
  exporter: Uint8Array;
  /** Randomness for the scalar (tests only). */
  random?: (n: number) => Uint8Array;
}

export interface Pairing {
  readonly role: PairingRole;
  /** The frames this side sends first (its `pair`). Call once, before `receive`. */
  start(): PairingFrame[];
  /** Feed one frame from the peer (a parsed JSON value: anything). Never throws. */
  receive(frame: unknown): PairingStep;
  /** Give up (timeout, connection lost): fails the attempt and returns the `error` to send, if any. */
  abort(): PairingStep;
  /** The outcome, once there is one. */
  readonly result: PairingResult | undefined;
}

/** The one `error` frame a failing side sends, identical whatever went wrong. */
export const PAIRING_FAILED_FRAME: PairingErrorFrame = Object.freeze({
  type: 'error',
  code: 'PAIRING_FAILED',
  message: 'Pairing failed: the codes differ, or the connection is not direct. Make a new code and try again.',
});

function pinBytes(pin: unknown, which: string): Uint8Array {
  if (typeof pin === 'string' && pin.startsWith(PIN_PREFIX)) {
    const b64 = pin.slice(PIN_PREFIX.length);
    const bytes = Buffer.from(b64, 'base64');
    if (/^[A-Za-z0-9+/]{43}=$/.test(b64) && bytes.length === PIN_BYTES && bytes.toString('base64') === b64) {
      return Uint8Array.from(bytes);
    }
  }
  throw new LockstepError('BAD_PIN', `The ${which} pin for pairing is not "sha256/" and 44 base64 characters.`);
}

/** Strict base64: the string must be the canonical encoding of exactly `length` bytes. */
function decodeBase64(text: string, length: number): Uint8Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length || bytes.toString('base64') !== text) return undefined;
  return Uint8Array.from(bytes);
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

type State =
  | { name: 'new' }
  | { name: 'awaiting-share'; y: bigint; ownShare: Uint8Array }
  | { name: 'awaiting-confirm'; ownTag: Uint8Array; expectedPeerTag: Uint8Array }
  | { name: 'done'; result: PairingResult };

/** One pairing attempt. Throws only for bad arguments (BAD_PAIRING_CODE, BAD_PIN, BAD_ARGUMENT). */
export function createPairing(options: PairingOptions): Pairing {
  const { role } = options;
  if (role !== 'dialer' && role !== 'listener') throw new LockstepError('BAD_ARGUMENT', 'A pairing role is "dialer" or "listener".');
  const prs = pairingPrs(options.code);
  const own = pinBytes(options.ownPin, 'own');
  const peer = pinBytes(options.peerPin, "peer's");
  if (sameBytes(own, peer)) throw new LockstepError('BAD_ARGUMENT', 'Both ends of this connection have the same key: nothing to pair.');
  const exporter = options.exporter;
  if (!(exporter instanceof Uint8Array) || exporter.length !== PAIRING_EXPORTER_BYTES) {
    throw new LockstepError('BAD_ARGUMENT', `The pairing exporter value must be ${PAIRING_EXPORTER_BYTES} bytes.`);
  }
  const sid = Uint8Array.from(exporter);
  const ci = role === 'dialer' ? lvCat(CI_LABEL, own, peer) : lvCat(CI_LABEL, peer, own);
  const ownAd = role === 'dialer' ? AD_DIALER : AD_LISTENER;
  const peerAd = role === 'dialer' ? AD_LISTENER : AD_DIALER;
  const peerPin = options.peerPin;
  const random = options.random;

  let state: State = { name: 'new' };

  const finish = (result: PairingResult, send: PairingFrame[]): PairingStep => {
    state = { name: 'done', result };
    prs.fill(0);
    return { send, done: result };
  };
  const fail = (reason: PairingFailureReason, tellPeer = true): PairingStep =>
    finish({ ok: false, code: 'PAIRING_FAILED', reason }, tellPeer ? [{ ...PAIRING_FAILED_FRAME }] : []);

  const start = (): PairingFrame[] => {
    if (state.name !== 'new') return [];
    const g = calculateGenerator(prs, ci, sid);
    const y = sampleScalar(random);
    const ownShare = scalarMult(y, g);
    state = { name: 'awaiting-share', y, ownShare };
    return [{ type: 'pair', v: PAIRING_VERSION, y: toBase64(ownShare) }];
  };

  const onShare = (frame: PairFrame): PairingStep => {
    if (state.name !== 'awaiting-share') return fail('unexpected-frame');
    if (frame.v !== PAIRING_VERSION) return fail('version');
    const peerShare = decodeBase64(frame.y, ELEMENT_BYTES);
    if (!peerShare || sameBytes(peerShare, state.ownShare)) return fail('invalid-share');
    const k = scalarMultVfy(state.y, peerShare);
    if (isIdentity(k)) return fail('invalid-share');
    const [ya, ada, yb, adb] =
      role === 'dialer' ? [state.ownShare, ownAd, peerShare, peerAd] : [peerShare, peerAd, state.ownShare, ownAd];
    const isk = deriveIsk(sid, k, transcriptIr(ya, ada, yb, adb));
    const key = macKey(sid, isk);
    const ownTag = confirmationTag(key, state.ownShare, ownAd);
    const expectedPeerTag = confirmationTag(key, peerShare, peerAd);
    k.fill(0);
    isk.fill(0);
    key.fill(0);
    state = { name: 'awaiting-confirm', ownTag, expectedPeerTag };
    // The dialer confirms at once; the listener waits for the dialer's tag and checks it first,
    // so a dialer guessing the code learns nothing from a tag of the listener's.
    return { send: role === 'dialer' ? [{ type: 'pair-confirm', tag: toBase64(ownTag) }] : [] };
  };

  const onConfirm = (frame: PairConfirmFrame): PairingStep => {
    if (state.name !== 'awaiting-confirm') return fail('unexpected-frame');
    const tag = decodeBase64(frame.tag, HASH_BYTES);
    if (!tag || !sameBytes(tag, state.expectedPeerTag)) return fail('confirmation-failed');
    const send: PairingFrame[] = role === 'listener' ? [{ type: 'pair-confirm', tag: toBase64(state.ownTag) }] : [];
    return finish({ ok: true, peerPin }, send);
  };

  const receive = (input: unknown): PairingStep => {
    if (state.name === 'done') return { send: [] };
    const started = state.name === 'new' ? start() : [];
    const step = (() => {
      const parsed = Incoming.safeParse(input);
      if (!parsed.success) {
        const type = (input as { type?: unknown } | null)?.type;
        const known = type === 'pair' || type === 'pair-confirm' || type === 'error';
        return fail(known || typeof type !== 'string' ? 'malformed-frame' : 'unexpected-frame');
      }
      const frame = parsed.data;
      if (frame.type === 'error') return fail('peer-failed', false);
      return frame.type === 'pair' ? onShare(frame) : onConfirm(frame);
    })();
    return { ...step, send: [...started, ...step.send] };
  };

  return {
    role,
    start,
    receive: (input) => {
      try {
        return receive(input);
      } catch {
        // Nothing above should throw on any input; if something does, the attempt fails, quietly.
        return state.name === 'done' ? { send: [] } : fail('malformed-frame');
      }
    },
    abort: () => (state.name === 'done' ? { send: [] } : fail('aborted')),
    get result() {
      return state.name === 'done' ? state.result : undefined;
    },
  };
}
