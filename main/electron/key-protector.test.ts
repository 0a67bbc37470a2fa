import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { safeStorageProtector } from './key-protector';

/** A safeStorage that "encrypts" by reversing bytes: enough to see the round trip and the wrapping. */
class FakeSafeStorage {
  constructor(
    private readonly available: boolean,
    private readonly backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(text: string): Buffer {
    return Buffer.from(text, 'utf8').reverse();
  }
  decryptString(data: Buffer): string {
    return Buffer.from(data).reverse().toString('utf8');
  }
}

describe('safeStorageProtector', () => {
  it('round-trips the 32-byte key and stores it only wrapped', () => {
    const protector = safeStorageProtector(new FakeSafeStorage(true), 'linux');
    const key = randomBytes(32);
    const wrapped = protector.encrypt(key);
    expect(wrapped.includes(key)).toBe(false);
    expect(protector.decrypt(wrapped)).toEqual(key);
  });

  it("reports availability and the backend the engine names on the at-rest card", () => {
    expect(safeStorageProtector(new FakeSafeStorage(false), 'linux').isAvailable()).toBe(false);
    expect(safeStorageProtector(new FakeSafeStorage(true, 'basic_text'), 'linux').backend()).toBe('basic_text');
    expect(safeStorageProtector(new FakeSafeStorage(true, 'kwallet6'), 'linux').backend()).toBe('kwallet6');
    expect(safeStorageProtector(new FakeSafeStorage(true), 'darwin').backend()).toBe('macOS Keychain');
    expect(safeStorageProtector(new FakeSafeStorage(true), 'win32').backend()).toBe('Windows DPAPI');
  });
});
