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

/** ctr32 reads its input as 32-bit words: a view at an odd offset is copied first. */
const aligned = (b: Uint8Array) => (b.byteOffset % 4 === 0 ? b : new Uint8Array(b)); // a copy (a Buffer's slice() is a view)

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
  const lengths = new Uint8Array(BLOCK);
  const lengthView = new DataView(lengths.buffer);
  const tagBlock = new Uint8Array(BLOCK);

  /** J0 = nonce ‖ 0x00000001; returns E_K(J0) and leaves `counter` at inc32(J0). */
  const start = (nonce: Uint8Array, counter: Uint8Array): Uint8Array => {
    if (nonce.length !== 12) throw new Error('AES-GCM: TLS 1.3 nonces are 12 bytes');
    counter.set(nonce);
    counter[15] = 1;
    return unsafe.ctr32(xk, false, counter, new Uint8Array(BLOCK));
  };

  const tag = (mask: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array => {
    lengthView.setBigUint64(0, BigInt(aad.length * 8), false);
    lengthView.setBigUint64(8, BigInt(ciphertext.length * 8), false);
    ghash.reset().update(aad).update(ciphertext).update(lengths);
    ghash.digestInto(tagBlock);
    widenWhenBusy(aad.length + ciphertext.length);
    const out = new Uint8Array(TAG);
    for (let i = 0; i < TAG; i++) out[i] = tagBlock[i]! ^ mask[i]!;
    return out;
  };

  return {
    open(nonce, aad, sealed) {
      if (sealed.length < TAG) throw new Error('AES-GCM: shorter than its tag');
      const counter = new Uint8Array(BLOCK);
      const mask = start(nonce, counter);
      const ciphertext = aligned(sealed.subarray(0, sealed.length - TAG));
      const expected = tag(mask, aad, ciphertext);
      const given = sealed.subarray(sealed.length - TAG);
      let diff = 0;
      for (let i = 0; i < TAG; i++) diff |= expected[i]! ^ given[i]!;
      if (diff !== 0) throw new Error('AES-GCM: invalid tag');
      return unsafe.ctr32(xk, false, counter, ciphertext, new Uint8Array(ciphertext.length));
    },
    seal(nonce, aad, plaintext) {
      const counter = new Uint8Array(BLOCK);
      const mask = start(nonce, counter);
      const out = new Uint8Array(plaintext.length + TAG);
      const ciphertext = out.subarray(0, plaintext.length);
      unsafe.ctr32(xk, false, counter, aligned(plaintext), ciphertext);
      out.set(tag(mask, aad, ciphertext), plaintext.length);
      return out;
    },
  };
}

export function keyedChacha20Poly1305(key: Uint8Array): KeyedAead {
  const k = key.slice();
  return {
    open: (nonce, aad, sealed) => chacha20poly1305(k, nonce, aad).decrypt(sealed),
    seal: (nonce, aad, plaintext) => chacha20poly1305(k, nonce, aad).encrypt(plaintext),
  };
}
