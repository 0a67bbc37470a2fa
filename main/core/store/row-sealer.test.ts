import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { RowSealer, type SealContext } from './row-sealer';

const KEY = new Uint8Array(randomBytes(32));
const CTX: SealContext = { table: 'messages', rowId: 'row-1', conversationId: 'conv-1' };
const unreadable = expect.objectContaining({ code: 'ROW_UNREADABLE' });

describe('RowSealer', () => {
  const sealer = new RowSealer(KEY);

  it('opens what it sealed: empty, ASCII, unicode and long texts', () => {
    for (const text of ['', 'meet at 6', 'héllo ✓ — 你好 🙂', 'x'.repeat(70_000)]) {
      const blob = sealer.seal(text, CTX);
      expect(sealer.open(blob, CTX)).toBe(text);
      // version ‖ 24-byte nonce ‖ ciphertext ‖ 16-byte tag
      expect(blob.length).toBe(1 + 24 + Buffer.byteLength(text) + 16);
    }
  });

  it('never shows the plaintext in the sealed value', () => {
    const text = 'the eagle lands at dawn';
    const blob = sealer.seal(text, CTX);
    expect(blob.includes(Buffer.from(text))).toBe(false);
    expect(blob.includes(Buffer.from('eagle'))).toBe(false);
  });

  it('seals the same text twice to different bytes (a fresh nonce each time)', () => {
    const a = sealer.seal('same text', CTX);
    const b = sealer.seal('same text', CTX);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 25).equals(b.subarray(1, 25))).toBe(false);
    expect(sealer.open(a, CTX)).toBe('same text');
    expect(sealer.open(b, CTX)).toBe('same text');
  });

  it('throws ROW_UNREADABLE for one flipped byte anywhere: version, nonce, ciphertext or tag', () => {
    const blob = sealer.seal('flip me if you can', CTX);
    for (const at of [0, 1, 12, 24, 25, 30, blob.length - 17, blob.length - 1]) {
      const damaged = Buffer.from(blob);
      damaged[at]! ^= 0x01;
      expect(() => sealer.open(damaged, CTX), `byte ${at} flipped`).toThrow(unreadable);
    }
  });

  it('throws ROW_UNREADABLE for a truncated or empty value', () => {
    const blob = sealer.seal('short', CTX);
    expect(() => sealer.open(blob.subarray(0, blob.length - 1), CTX)).toThrow(unreadable);
    expect(() => sealer.open(blob.subarray(0, 1 + 24 + 15), CTX)).toThrow(unreadable);
    expect(() => sealer.open(new Uint8Array(0), CTX)).toThrow(unreadable);
  });

  it('throws ROW_UNREADABLE with a wrong key', () => {
    const blob = sealer.seal('for the right key only', CTX);
    const other = new RowSealer(new Uint8Array(randomBytes(32)));
    expect(() => other.open(blob, CTX)).toThrow(unreadable);
    const nearlyKey = new Uint8Array(KEY);
    nearlyKey[31]! ^= 0x80;
    expect(() => new RowSealer(nearlyKey).open(blob, CTX)).toThrow(unreadable);
  });

  it('throws ROW_UNREADABLE for a value moved to another row, conversation or table', () => {
    const blob = sealer.seal('belongs to row-1 in conv-1', CTX);
    expect(() => sealer.open(blob, { ...CTX, rowId: 'row-2' })).toThrow(unreadable);
    expect(() => sealer.open(blob, { ...CTX, conversationId: 'conv-2' })).toThrow(unreadable);
    expect(() => sealer.open(blob, { ...CTX, table: 'contacts' })).toThrow(unreadable);
    // The separator keeps the fields apart: moving a character from one field to the next is a different context.
    expect(() => sealer.open(blob, { ...CTX, rowId: 'row-1c', conversationId: 'onv-1' })).toThrow(unreadable);
    expect(sealer.open(blob, { ...CTX })).toBe('belongs to row-1 in conv-1');
  });

  it('names the table and row in the error, never the key or the text', () => {
    const blob = sealer.seal('secret words', CTX);
    let message = '';
    try {
      sealer.open(blob, { ...CTX, rowId: 'row-9' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/messages/);
    expect(message).toMatch(/row-9/);
    expect(message).not.toMatch(/secret words/);
    expect(message).not.toContain(Buffer.from(KEY).toString('hex'));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new RowSealer(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
    expect(() => new RowSealer(new Uint8Array(33))).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
  });
});
