/**
 * The database key: 32 random bytes that seal every message body and contact name. Where the
 * desktop shell hands in a real OS keystore (Electron's safeStorage backed by Keychain, DPAPI,
 * libsecret or KWallet) the key is stored wrapped by it; otherwise it sits in a file only this
 * user can read (mode 0600) — and the app says plainly which protection is in force.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AtRestView } from '../../../shared/views';
import { LockstepError } from '../errors';

/** What the shell passes in from Electron's safeStorage; the engine never imports electron. */
export interface KeyProtector {
  isAvailable(): boolean;
  /** Linux: `gnome_libsecret`, `kwallet…` or `basic_text` (no real protection); else the OS name. */
  backend(): string;
  encrypt(data: Buffer): Buffer;
  decrypt(data: Buffer): Buffer;
}

const RAW_FILE = 'database.key';
const WRAPPED_FILE = 'database.key.wrapped';
const KEY_BYTES = 32;
/**
 * What a keystore-wrapped key says besides the key: that this profile's trust columns are
 * authenticated (trust-mac.ts). A key wrapped before that (the bare 32 bytes) lets the store
 * compute the MACs of the rows written before, once. The fact has to live here, not in the
 * database: whoever can edit the database could make it look as if it was never upgraded, and
 * have their forged rows authenticated afresh — but cannot rewrap the key without the keystore.
 */
const TRUST_MACS_IN_FORCE = Buffer.from('lockstep/database-key/trust-macs-in-force/v1\u0000');

function write(path: string, data: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The keystore's name when it gives real protection; null for none or Linux's `basic_text`. */
export function strongBackend(protector: KeyProtector | null): string | null {
  if (!protector || !protector.isAvailable()) return null;
  const backend = protector.backend();
  return backend === 'basic_text' || backend === 'unknown' ? null : backend;
}

function describe(mode: AtRestView['mode'], backend: string | null, weakBackend: string | null): AtRestView {
  if (mode === 'os-keystore') {
    return {
      mode,
      backend,
      strong: true,
      summary: `Message history and contact names are encrypted (XChaCha20-Poly1305). The key is protected by the operating system's keystore (${backend}).`,
    };
  }
  const why = weakBackend
    ? ` The OS keystore is not available (Electron reports "${weakBackend}", which means no real protection), so`
    : ' There is no OS keystore here, so';
  return {
    mode,
    backend: weakBackend,
    strong: false,
    summary: `Message history and contact names are encrypted (XChaCha20-Poly1305).${why} the key is kept in a file only your user account can read (database.key, mode 0600): anyone who can read your files can read your history.`,
  };
}

export interface LoadedKey {
  key: Uint8Array;
  protection: AtRestView;
  /**
   * True when the keystore-wrapped key records that the trust columns are authenticated: then no
   * row may get a MAC it did not get when it was written. False for a key file (whoever can read
   * it can compute MACs anyway) and for a key wrapped before trust MACs existed.
   */
  trustMacsInForce: boolean;
}

/** What a wrapped key file holds once unwrapped: the key, and whether trust MACs are in force. */
function unwrapped(payload: Buffer, path: string): { key: Uint8Array; trustMacsInForce: boolean } {
  const tagged = payload.length === TRUST_MACS_IN_FORCE.length + KEY_BYTES && payload.subarray(0, TRUST_MACS_IN_FORCE.length).equals(TRUST_MACS_IN_FORCE);
  return tagged ? { key: checked(payload.subarray(TRUST_MACS_IN_FORCE.length), path), trustMacsInForce: true } : { key: checked(payload, path), trustMacsInForce: false };
}

const wrappedPayload = (key: Uint8Array) => Buffer.concat([TRUST_MACS_IN_FORCE, key]);

/**
 * Rewrap an older profile's key so that it records that its trust columns are now authenticated
 * (after their MACs were computed). Written beside the old file and renamed over it only once it
 * reads back; a keystore that fails leaves the old file, and returns false.
 */
export function recordTrustMacsInForce(profileDir: string, protector: KeyProtector, key: Uint8Array): boolean {
  const wrappedPath = join(profileDir, WRAPPED_FILE);
  try {
    const wrapped = protector.encrypt(wrappedPayload(key));
    const back = unwrapped(protector.decrypt(wrapped), wrappedPath);
    if (!back.trustMacsInForce || !Buffer.from(back.key).equals(Buffer.from(key))) return false;
    write(wrappedPath, wrapped);
    return true;
  } catch {
    return false;
  }
}

/**
 * Load the profile's key, or create it for a database that holds nothing sealed yet. A missing key
 * beside sealed data is an error: a new key would make the whole history unreadable.
 */
export function loadDatabaseKey(profileDir: string, protector: KeyProtector | null, hasSealedData: boolean): LoadedKey {
  const wrappedPath = join(profileDir, WRAPPED_FILE);
  const rawPath = join(profileDir, RAW_FILE);
  const weak = protector?.isAvailable() && !strongBackend(protector) ? protector.backend() : null;
  if (existsSync(wrappedPath)) {
    if (!protector || !protector.isAvailable()) {
      throw new LockstepError('STORE_KEY_UNAVAILABLE', 'The history key is protected by the OS keystore, which is not available right now. Unlock your keyring (or log in to your desktop session) and start again; nothing was changed.');
    }
    let payload: Buffer;
    try {
      payload = protector.decrypt(readFileSync(wrappedPath));
    } catch (err) {
      throw new LockstepError('STORE_KEY_UNAVAILABLE', 'The OS keystore could not unwrap the history key (was the keyring reset or replaced?). Nothing was changed; restore the keyring and start again.', { cause: err });
    }
    return { ...unwrapped(payload, wrappedPath), protection: describe('os-keystore', protector.backend(), null) };
  }
  if (existsSync(rawPath)) return { key: checked(readFileSync(rawPath), rawPath), protection: describe('key-file', null, weak), trustMacsInForce: false };
  if (hasSealedData) {
    throw new LockstepError('STORE_KEY_MISSING', `The history key (${rawPath}) is missing, so the stored history cannot be opened. Restore it from a backup; nothing was changed.`);
  }
  const key = randomBytes(KEY_BYTES);
  const backend = strongBackend(protector);
  if (backend && protector) {
    write(wrappedPath, protector.encrypt(wrappedPayload(key)));
    return { key, protection: describe('os-keystore', backend, null), trustMacsInForce: true };
  }
  write(rawPath, key);
  return { key, protection: describe('key-file', null, weak), trustMacsInForce: false };
}

function checked(key: Buffer, path: string): Uint8Array {
  if (key.length !== KEY_BYTES) throw new LockstepError('STORE_ERROR', `The history key file is damaged (${path}).`);
  return new Uint8Array(key);
}
