/**
 * The faster at-rest cipher changes nothing on disk: rows sealed by @noble/ciphers (every row
 * written before libsodium came in) open with libsodium and the other way round, and tampering
 * is refused by both.
 */
import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { nobleAead, rowAead } from './row-aead';
import { RowSealer } from './row-sealer';

const ctx = { table: 'messages' as const, rowId: 'm-1', conversationId: 'c-1' };

describe('the at-rest AEAD', () => {
  it('is libsodium on this platform (a prebuilt binary of sodium-native), not the fallback', () => {
    // sodium-native ships linux-x64, darwin and win32 binaries; elsewhere the fallback is expected.
    const shipped = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'].includes(`${process.platform}-${process.arch}`);
    expect(rowAead().name).toBe(shipped ? 'XChaCha20-Poly1305 (libsodium)' : nobleAead.name);
  });

  it('opens rows sealed by the other implementation, both ways, and refuses a flipped bit', () => {
    const key = randomBytes(32);
    const fast = new RowSealer(key, rowAead());
    const portable = new RowSealer(key, nobleAead);
    for (const text of ['', 'héllo ✓', 'x'.repeat(16_000)]) {
      expect(fast.open(portable.seal(text, ctx), ctx)).toBe(text);
      expect(portable.open(fast.seal(text, ctx), ctx)).toBe(text);
    }
    const sealed = fast.seal('secret', ctx);
    sealed[sealed.length - 1]! ^= 1;
    for (const sealer of [fast, portable]) expect(() => sealer.open(sealed, ctx)).toThrow(expect.objectContaining({ code: 'ROW_UNREADABLE' }));
    expect(() => fast.open(fast.seal('moved', ctx), { ...ctx, rowId: 'm-2' })).toThrow(expect.objectContaining({ code: 'ROW_UNREADABLE' }));
  });
});
