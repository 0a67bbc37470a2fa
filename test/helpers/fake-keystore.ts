/**
 * A stand-in for Electron's safeStorage (the OS keystore cannot run here): AES-256-GCM under the
 * keystore's own key (this user's keyring by default; pass another key for another machine's),
 * with the backend name and availability the test chooses. It counts its calls so a test can tell
 * whether a key went through it.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

import type { KeyProtector } from '../../main/core/store/database-key';

const MAGIC = Buffer.from('FAKEKS1');
const THIS_USERS_KEYRING = createHash('sha256').update('lockstep test keystore').digest();

/** Another machine's keystore (or a reset keyring): cannot unwrap what this user's wrapped. */
export const otherKeyring = (): Buffer => randomBytes(32);

export class FakeKeystore implements KeyProtector {
  encrypted = 0;
  decrypted = 0;

  constructor(
    private readonly name = 'gnome_libsecret',
    public available = true,
    private readonly key: Buffer = THIS_USERS_KEYRING,
  ) {}

  isAvailable(): boolean {
    return this.available;
  }

  backend(): string {
    return this.name;
  }

  encrypt(data: Buffer): Buffer {
    if (!this.available) throw new Error('keystore unavailable');
    this.encrypted += 1;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  }

  decrypt(data: Buffer): Buffer {
    if (!this.available) throw new Error('keystore unavailable');
    this.decrypted += 1;
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not wrapped by this keystore');
    const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(7, 19));
    decipher.setAuthTag(data.subarray(19, 35));
    return Buffer.concat([decipher.update(data.subarray(35)), decipher.final()]);
  }
}
