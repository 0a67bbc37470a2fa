/**
 * The record AEADs of TLS 1.3 keyed once per traffic key, for the independent decryptor.
 *
 * @noble/ciphers' `gcm(key, nonce, aad)` redoes the whole key set-up for every call: the AES key
 * expansion, the hash key H = E_K(0) and GHASH's multiplication table for H, which for a 16 KiB
 * record is most of the work. A traffic key opens thousands of records, so here that set-up is
 * done once per key (from @noble/ciphers' own building blocks: its AES rounds, CTR and GHASH) and
 * each record pays only for E_K(J0), the counter-mode pass and GHASH over its bytes (NIST SP
 * 800-38D §7.2). keyed-aead.test.ts checks it against noble's `gcm` on random inputs.
 *
 * A chat record is a few hundred bytes, so what each call sets up matters as much as the rounds:
 * the blocks E_K(J0) and the tag are computed into scratch arrays kept per key, and GHASH runs
 * once over one zero-padded buffer (A, C and the lengths) instead of once per part. That halved
 * the time to open a 256-byte record (17 → 10 µs here).
 *
 * GHASH's table grows with what the key has carried. A key starts with the 4-bit window (512
 * entries, about 10 µs to build) and moves to the 8-bit one (4,096 entries: some 70 µs and a
 * good deal of garbage, for about a quarter less time per byte) once it has hashed 64 KiB. Most
 * keys never get there: a connection has four handshake keys that carry a few records each, and a
 * chat's application keys carry little more. Building the wide table for every key was a sixth
 * of a connect's CPU (bench/profile-connect.ts); bulk transfers still get it after 64 KiB.
 *
 * ChaCha20-Poly1305 has no per-key set-up to save: its Poly1305 key is derived from each nonce
 * (RFC 8439 §2.6), so each record is opened by noble's `chacha20poly1305` as it is.
 */
import { GHASH } from '@noble/ciphers/_polyval.js';
import { unsafe } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

const BLOCK = 16;
const TAG = 16;
/** noble picks GHASH's window from an expected length: ≤ 64 KiB gives 4 bits, more gives 8. */
const NARROW_WINDOW_HINT = 4 * 1024;
const WIDE_WINDOW_HINT = 64 * 1024 + 1;
/** Bytes hashed under one key before its table is rebuilt with the wide window. */
const WIDEN_AFTER_BYTES = 64 * 1024;

export interface KeyedAead {
  /** Opens `ciphertext || tag`; throws when the tag does not verify. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
}

/** GHASH keyed once; `reset` starts a new message with the same table. */
class ReusableGhash extends GHASH {
  reset(): this {
    this.s0 = this.s1 = this.s2 = this.s3 = 0;
    this.finished = false;
    return this;
  }
}

export function keyedAesGcm(key: Uint8Array): KeyedAead {
  if (key.length !== 16 && key.length !== 32) throw new Error(`AES-GCM: a ${key.length}-byte key`);
  const xk = unsafe.expandKeyLE(key);
  const h = unsafe.ctr32(xk, false, new Uint8Array(BLOCK), new Uint8Array(BLOCK), new Uint8Array(BLOCK));
  let ghash = new ReusableGhash(h, NARROW_WINDOW_HINT);
  let hashed = 0;
  const widenWhenBusy = (bytes: number) => {
    if (hashed > WIDEN_AFTER_BYTES) return;
    hashed += bytes;
    if (hashed > WIDEN_AFTER_BYTES) ghash = new ReusableGhash(h, WIDE_WINDOW_HINT);
  };
  // Scratch blocks kept for the key's life (open and seal run to completion, never interleaved).
  // A fresh 16-byte array per call would be allocated inside V8's heap and moved out again the
  // first time noble takes a 32-bit view of it: that move was a quarter of a small record's time.
  const counter = new Uint8Array(BLOCK);
  const mask = new Uint8Array(BLOCK);
  const tagBlock = new Uint8Array(BLOCK);

  /** J0 = nonce ‖ 0x00000001: `mask` = E_K(J0), and `counter` left at inc32(J0) for the text. */
  const start = (nonce: Uint8Array): void => {
    if (nonce.length !== 12) throw new Error('AES-GCM: TLS 1.3 nonces are 12 bytes');
    counter.set(nonce);
    counter.set(J0_SUFFIX, 12);
    unsafe.ctr32(xk, false, counter, ZERO_BLOCK, mask);
  };

  /** GHASH over an input laid out by `hashInput`, into tagBlock; the tag is tagBlock ⊕ mask. */
  const hash = (input: Uint8Array): void => {
    ghash.reset().update(input);
    ghash.digestInto(tagBlock);
    widenWhenBusy(input.length);
  };

  return {
    open(nonce, aad, sealed) {
      if (sealed.length < TAG) throw new Error('AES-GCM: shorter than its tag');
      start(nonce);
      const length = sealed.length - TAG;
      const { input, text } = hashInput(aad, length);
      text.set(sealed.subarray(0, length));
      hash(input);
      let diff = 0;
      for (let i = 0; i < TAG; i++) diff |= tagBlock[i]! ^ mask[i]! ^ sealed[length + i]!;
      if (diff !== 0) throw new Error('AES-GCM: invalid tag');
      // Counter mode over the padded copy (whole blocks: no partial-block path), then cut to length.
      // The padding came out as key stream: zeroed, so no view of this buffer carries any.
      const plain = unsafe.ctr32(xk, false, counter, text, new Uint8Array(text.length));
      plain.fill(0, length);
      return plain.subarray(0, length);
    },
    seal(nonce, aad, plaintext) {
      start(nonce);
      const { input, text } = hashInput(aad, plaintext.length);
      text.set(plaintext);
      unsafe.ctr32(xk, false, counter, text, text);
      text.fill(0, plaintext.length); // GHASH pads the ciphertext with zeros, not with key stream
      hash(input);
      const out = new Uint8Array(plaintext.length + TAG);
      out.set(text.subarray(0, plaintext.length));
      for (let i = 0; i < TAG; i++) out[plaintext.length + i] = tagBlock[i]! ^ mask[i]!;
      return out;
    },
  };
}

/** A byte count as its length in bits, 64-bit big-endian (byte by byte: no DataView per record). */
function putBitLength(out: Uint8Array, at: number, bytes: number): void {
  const bits = bytes * 8;
  const high = Math.floor(bits / 2 ** 32);
  const low = bits >>> 0;
  for (let i = 0; i < 4; i++) {
    out[at + 3 - i] = (high >>> (8 * i)) & 0xff;
    out[at + 7 - i] = (low >>> (8 * i)) & 0xff;
  }
}

const ZERO_BLOCK = new Uint8Array(BLOCK);
const J0_SUFFIX = Uint8Array.of(0, 0, 0, 1);
const padded = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

/**
 * GHASH's whole input in one buffer, A ‖ 0* ‖ C ‖ 0* ‖ len(A) ‖ len(C) in bits (SP 800-38D §7.2),
 * with `text` the zero-padded room for C (a whole number of blocks). One GHASH update over it
 * instead of three: noble's update copies its input and sets up views on every call, which for
 * a short chat record cost as much as hashing it.
 */
function hashInput(aad: Uint8Array, textLength: number): { input: Uint8Array; text: Uint8Array } {
  const aadRoom = padded(aad.length);
  const textRoom = padded(textLength);
  const input = new Uint8Array(aadRoom + textRoom + BLOCK);
  input.set(aad);
  putBitLength(input, aadRoom + textRoom, aad.length);
  putBitLength(input, aadRoom + textRoom + 8, textLength);
  return { input, text: input.subarray(aadRoom, aadRoom + textRoom) };
}

export function keyedChacha20Poly1305(key: Uint8Array): KeyedAead {
  const k = key.slice();
  return {
    open: (nonce, aad, sealed) => chacha20poly1305(k, nonce, aad).decrypt(sealed),
    seal: (nonce, aad, plaintext) => chacha20poly1305(k, nonce, aad).encrypt(plaintext),
  };
}
