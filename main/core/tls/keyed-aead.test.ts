/**
 * The once-keyed AES-GCM must be AES-GCM: every output equals @noble/ciphers' own `gcm` (which
 * the RFC 8448 vectors in key-schedule.test.ts pin down), for both key sizes, any length, at odd
 * offsets, and with many records under one key; a flipped bit anywhere fails the tag.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { keyedAesGcm, keyedChacha20Poly1305 } from './keyed-aead';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

const LENGTHS = [0, 1, 15, 16, 17, 31, 200, 1_000, 4_096, 16_384 + 1];

describe('AES-GCM keyed once per traffic key', () => {
  for (const keyLength of [16, 32]) {
    it(`seals and opens exactly as noble's gcm (AES-${keyLength * 8}), record after record`, () => {
      const key = randomBytes(keyLength);
      const keyed = keyedAesGcm(key);
      for (const length of LENGTHS) {
        const nonce = randomBytes(12);
        const aad = randomBytes(5);
        const plain = randomBytes(length);
        const reference = gcm(key, nonce, aad).encrypt(plain);
        expect(Buffer.from(keyed.seal(nonce, aad, plain)).equals(Buffer.from(reference)), `seal, ${length} bytes`).toBe(true);
        // A view at an odd offset, as record bodies inside a bigger chunk are.
        const shifted = Buffer.concat([Buffer.of(7), reference]).subarray(1);
        expect(Buffer.from(keyed.open(nonce, aad, shifted)).equals(plain), `open, ${length} bytes`).toBe(true);
      }
    });
  }

  it('stays noble\'s gcm across the point where a busy key widens its GHASH table', () => {
    const key = randomBytes(16);
    const keyed = keyedAesGcm(key);
    // 12 records of 16 KiB: the table is rebuilt after the fourth, and every record must still match.
    for (let i = 0; i < 12; i++) {
      const nonce = randomBytes(12);
      const aad = randomBytes(5);
      const plain = randomBytes(16_384);
      const reference = gcm(key, nonce, aad).encrypt(plain);
      expect(Buffer.from(keyed.seal(nonce, aad, plain)).equals(Buffer.from(reference)), `seal, record ${i}`).toBe(true);
      expect(Buffer.from(keyed.open(nonce, aad, reference)).equals(plain), `open, record ${i}`).toBe(true);
      const forged = Uint8Array.from(reference);
      forged[i]! ^= 0x80;
      expect(() => keyed.open(nonce, aad, forged), `forged record ${i}`).toThrow(/tag/);
    }
  });

  it('leaves no key stream behind the plaintext it returns (its buffer is only as long as it looks, or zero past it)', () => {
    const key = randomBytes(16);
    const keyed = keyedAesGcm(key);
    for (const length of [1, 17, 200, 1_000]) {
      const nonce = randomBytes(12);
      const aad = randomBytes(5);
      const plain = keyed.open(nonce, aad, gcm(key, nonce, aad).encrypt(randomBytes(length)));
      const behind = new Uint8Array(plain.buffer, plain.byteOffset + plain.length);
      expect(behind.every((b) => b === 0), `${length} bytes`).toBe(true);
    }
  });

  it('refuses a flipped bit in the ciphertext, the tag, the additional data or the nonce', () => {
    const key = randomBytes(32);
    const keyed = keyedAesGcm(key);
    const nonce = randomBytes(12);
    const aad = randomBytes(5);
    const sealed = gcm(key, nonce, aad).encrypt(randomBytes(300));
    const flip = (b: Uint8Array, i: number) => {
      const c = Uint8Array.from(b);
      c[i]! ^= 1;
      return c;
    };
    expect(() => keyed.open(nonce, aad, flip(sealed, 10))).toThrow(/tag/);
    expect(() => keyed.open(nonce, aad, flip(sealed, sealed.length - 1))).toThrow(/tag/);
    expect(() => keyed.open(nonce, flip(aad, 0), sealed)).toThrow(/tag/);
    expect(() => keyed.open(flip(nonce, 11), aad, sealed)).toThrow(/tag/);
    expect(() => keyed.open(nonce, aad, sealed.subarray(0, 15))).toThrow();
    // Still good for the next record after failures.
    expect(keyed.open(nonce, aad, sealed)).toHaveLength(300);
  });
});

describe('ChaCha20-Poly1305 through the same interface', () => {
  it('is noble\'s chacha20poly1305', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const aad = randomBytes(5);
    const plain = randomBytes(200);
    const sealed = keyedChacha20Poly1305(key).seal(nonce, aad, plain);
    expect(Buffer.from(chacha20poly1305(key, nonce, aad).decrypt(sealed)).equals(plain)).toBe(true);
  });
});
