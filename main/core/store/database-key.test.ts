import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { FakeKeystore } from '../../../test/helpers/fake-keystore';
import { type KeyProtector, loadDatabaseKey } from './database-key';
import { openStore, type Store } from './store';

const FakeProtector = FakeKeystore;

const dirs: string[] = [];
const stores: Store[] = [];
afterAll(() => {
  for (const s of stores) if (s.db.open) s.db.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-dbkey-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string, protector: KeyProtector | null = null): Store {
  const store = openStore(dir, { protector });
  stores.push(store);
  return store;
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file in the directory: name, mode and SHA-256 of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    out[name] = `${mode(path).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return out;
}

const PIN = `sha256/${Buffer.alloc(32, 7).toString('base64')}`;

/** A store with one contact and one message, so the database holds sealed data. */
function withHistory(store: Store): { contactId: string; messageId: string } {
  const { contact } = store.contacts.add({ name: 'Zebediah Quill', pin: PIN, address: '127.0.0.1:4000' });
  const msg = store.messages.addOutgoing(contact.id, 'sealed with the profile key');
  return { contactId: contact.id, messageId: msg.id };
}

describe('the database key without an OS keystore', () => {
  it('is created on first open as a 32-byte file only the owner can read (0600)', () => {
    const dir = tempDir();
    const store = open(dir);
    const path = join(dir, 'database.key');
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path)).toHaveLength(32);
    expect(mode(path)).toBe(0o600);
    expect(existsSync(join(dir, 'database.key.wrapped'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-')), 'temporary files left behind').toEqual([]);
    expect(store.protection).toMatchObject({ mode: 'key-file', backend: null, strong: false });
    expect(store.protection.summary).toMatch(/database\.key/);
    expect(store.protection.summary).toMatch(/0600/);
    store.db.close();
  });

  it('is reused on later opens: same bytes, and what was sealed before opens again', () => {
    const dir = tempDir();
    const first = open(dir);
    const key = readFileSync(join(dir, 'database.key'));
    const { contactId, messageId } = withHistory(first);
    first.db.close();

    const second = open(dir);
    expect(readFileSync(join(dir, 'database.key')).equals(key)).toBe(true);
    expect(second.messages.get(contactId, messageId)).toMatchObject({ text: 'sealed with the profile key', problem: null });
    expect(second.contacts.byId(contactId)).toMatchObject({ name: 'Zebediah Quill', problem: null });
    second.db.close();
    const direct = loadDatabaseKey(dir, null, true);
    expect(Buffer.from(direct.key).equals(key)).toBe(true);
  });

  it('gives each profile its own random key', () => {
    const a = tempDir();
    const b = tempDir();
    open(a).db.close();
    open(b).db.close();
    expect(readFileSync(join(a, 'database.key')).equals(readFileSync(join(b, 'database.key')))).toBe(false);
  });

  it('missing beside sealed data: STORE_KEY_MISSING, no new key made, the database untouched', () => {
    const dir = tempDir();
    const first = open(dir);
    withHistory(first);
    first.db.close();
    unlinkSync(join(dir, 'database.key'));
    const before = snapshot(dir);
    expect(() => open(dir)).toThrow(expect.objectContaining({ code: 'STORE_KEY_MISSING', message: expect.stringMatching(/database\.key/) }));
    expect(snapshot(dir)).toEqual(before);
    expect(() => loadDatabaseKey(dir, null, true)).toThrow(expect.objectContaining({ code: 'STORE_KEY_MISSING' }));
    expect(existsSync(join(dir, 'database.key'))).toBe(false);
  });

  it('missing beside a database with nothing sealed yet: a new key is made', () => {
    const dir = tempDir();
    open(dir).db.close();
    unlinkSync(join(dir, 'database.key'));
    const store = open(dir);
    expect(readFileSync(join(dir, 'database.key'))).toHaveLength(32);
    store.db.close();
  });

  it('refuses a key file of the wrong length with STORE_ERROR', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'database.key'), randomBytes(16), { mode: 0o600 });
    expect(() => loadDatabaseKey(dir, null, false)).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
  });
});

describe('the database key with an OS keystore (a fake KeyProtector)', () => {
  it('gnome_libsecret: the key is stored wrapped (no raw key file) and the protection is strong', () => {
    const dir = tempDir();
    const protector = new FakeProtector('gnome_libsecret');
    const store = open(dir, protector);
    const wrapped = join(dir, 'database.key.wrapped');
    expect(existsSync(wrapped)).toBe(true);
    expect(existsSync(join(dir, 'database.key')), 'a raw key file beside the wrapped one').toBe(false);
    expect(mode(wrapped)).toBe(0o600);
    expect(protector.encrypted).toBe(1);
    expect(store.protection).toMatchObject({ mode: 'os-keystore', backend: 'gnome_libsecret', strong: true });
    expect(store.protection.summary).toMatch(/keystore/);
    expect(store.protection.summary).toMatch(/gnome_libsecret/);
    // The wrapped file is not the key itself: the keystore unwraps it into the 32-byte key and the
    // record that this profile's trust columns are authenticated from the start.
    const loaded = loadDatabaseKey(dir, protector, true);
    expect(loaded.key).toHaveLength(32);
    expect(loaded.trustMacsInForce).toBe(true);
    expect(readFileSync(wrapped).includes(Buffer.from(loaded.key))).toBe(false);
    const { contactId, messageId } = withHistory(store);
    store.db.close();

    const again = new FakeProtector('gnome_libsecret');
    const reopened = open(dir, again);
    expect(again.decrypted).toBe(1);
    expect(again.encrypted).toBe(0);
    expect(reopened.protection).toMatchObject({ mode: 'os-keystore', strong: true });
    expect(reopened.messages.get(contactId, messageId)).toMatchObject({ text: 'sealed with the profile key', problem: null });
    expect(existsSync(join(dir, 'database.key'))).toBe(false);
    reopened.db.close();
  });

  it('other real backends (kwallet5, Keychain, DPAPI) wrap the key too', () => {
    for (const backend of ['kwallet5', 'macOS Keychain', 'Windows DPAPI']) {
      const dir = tempDir();
      const store = open(dir, new FakeProtector(backend));
      expect(store.protection, backend).toMatchObject({ mode: 'os-keystore', backend, strong: true });
      expect(existsSync(join(dir, 'database.key.wrapped')), backend).toBe(true);
      store.db.close();
    }
  });

  it('basic_text (no real protection): a 0600 key file, strong false, and the summary says so', () => {
    const dir = tempDir();
    const protector = new FakeProtector('basic_text');
    const store = open(dir, protector);
    expect(protector.encrypted, 'the key went through a keystore that protects nothing').toBe(0);
    expect(existsSync(join(dir, 'database.key.wrapped'))).toBe(false);
    expect(readFileSync(join(dir, 'database.key'))).toHaveLength(32);
    expect(mode(join(dir, 'database.key'))).toBe(0o600);
    expect(store.protection).toMatchObject({ mode: 'key-file', backend: 'basic_text', strong: false });
    expect(store.protection.summary).toMatch(/basic_text/);
    expect(store.protection.summary).toMatch(/no real protection/);
    expect(store.protection.summary).toMatch(/anyone who can read your files can read your history/);
    store.db.close();
  });

  it('a keystore that is not available at first use: a key file, strong false', () => {
    const dir = tempDir();
    const store = open(dir, new FakeProtector('gnome_libsecret', false));
    expect(store.protection).toMatchObject({ mode: 'key-file', strong: false });
    expect(existsSync(join(dir, 'database.key'))).toBe(true);
    expect(existsSync(join(dir, 'database.key.wrapped'))).toBe(false);
    store.db.close();
  });

  it('wrapped key but the keystore unavailable: STORE_KEY_UNAVAILABLE and nothing changed', () => {
    const dir = tempDir();
    const store = open(dir, new FakeProtector('gnome_libsecret'));
    const { contactId, messageId } = withHistory(store);
    store.db.close();
    const before = snapshot(dir);

    const locked = new FakeProtector('gnome_libsecret', false);
    expect(() => open(dir, locked)).toThrow(expect.objectContaining({ code: 'STORE_KEY_UNAVAILABLE', message: expect.stringMatching(/nothing was changed/) }));
    expect(() => open(dir, null)).toThrow(expect.objectContaining({ code: 'STORE_KEY_UNAVAILABLE' }));
    expect(locked.decrypted + locked.encrypted).toBe(0);
    expect(snapshot(dir), 'files after the refused opens').toEqual(before);
    expect(existsSync(join(dir, 'database.key')), 'a fresh raw key made in place of the wrapped one').toBe(false);

    // Once the keystore is back, the history opens as before.
    const back = open(dir, new FakeProtector('gnome_libsecret'));
    expect(back.messages.get(contactId, messageId)).toMatchObject({ text: 'sealed with the profile key', problem: null });
    back.db.close();
  });

  it('a keystore that cannot unwrap the key (a reset keyring): STORE_KEY_UNAVAILABLE and nothing changed', () => {
    const dir = tempDir();
    open(dir, new FakeProtector('gnome_libsecret')).db.close();
    // Damage the wrapping the way a different keyring would see it: the keystore's decrypt throws.
    const wrapped = join(dir, 'database.key.wrapped');
    const bytes = readFileSync(wrapped);
    bytes[0]! ^= 0xff;
    writeFileSync(wrapped, bytes);
    const before = snapshot(dir);
    expect(() => open(dir, new FakeProtector('gnome_libsecret'))).toThrow(expect.objectContaining({ code: 'STORE_KEY_UNAVAILABLE' }));
    expect(snapshot(dir)).toEqual(before);
  });

  it('an existing key file stays in use when a keystore appears later (no silent re-keying)', () => {
    const dir = tempDir();
    const first = open(dir);
    const { contactId, messageId } = withHistory(first);
    first.db.close();
    const key = readFileSync(join(dir, 'database.key'));
    const protector = new FakeProtector('gnome_libsecret');
    const second = open(dir, protector);
    expect(second.protection.mode).toBe('key-file');
    expect(second.messages.get(contactId, messageId)?.text).toBe('sealed with the profile key');
    expect(readFileSync(join(dir, 'database.key')).equals(key)).toBe(true);
    second.db.close();
  });
});

/** A keystore that unwraps but cannot wrap anything new (a read-only or failing keyring). */
class ReadOnlyKeystore extends FakeKeystore {
  override encrypt(): Buffer {
    throw new Error('the keyring refuses new items');
  }
}

/** Make a keystore profile look as one from before trust MACs: the key wrapped bare, no MACs yet. */
function asBeforeTrustMacs(dir: string, protector: FakeKeystore): Uint8Array {
  const { key } = loadDatabaseKey(dir, protector, true);
  writeFileSync(join(dir, 'database.key.wrapped'), protector.encrypt(Buffer.from(key)));
  const db = new Database(join(dir, 'lockstep.db'));
  db.exec("UPDATE contacts SET trust_mac = NULL; UPDATE conversations SET mac = NULL; UPDATE store_meta SET value = 'pending'");
  db.close();
  return key;
}

describe('a key wrapped before trust MACs existed', () => {
  it('is rewrapped, once, to record that trust MACs are in force, after the older rows got theirs', () => {
    const dir = tempDir();
    const protector = new FakeProtector('gnome_libsecret');
    const first = open(dir, protector);
    const { contactId, messageId } = withHistory(first);
    first.db.close();
    const key = asBeforeTrustMacs(dir, protector);
    expect(loadDatabaseKey(dir, protector, true).trustMacsInForce).toBe(false);

    const upgrading = new FakeProtector('gnome_libsecret');
    const upgraded = open(dir, upgrading);
    expect(upgraded.contacts.byId(contactId)).toMatchObject({ damaged: null, problem: null });
    expect(upgraded.messages.get(contactId, messageId)?.text).toBe('sealed with the profile key');
    expect(upgrading.encrypted).toBe(1);
    upgraded.db.close();
    const after = loadDatabaseKey(dir, protector, true);
    expect(after).toMatchObject({ trustMacsInForce: true });
    expect(Buffer.from(after.key).equals(Buffer.from(key)), 'the same key, only rewrapped').toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-')), 'temporary files left behind').toEqual([]);

    const later = new FakeProtector('gnome_libsecret');
    open(dir, later).db.close();
    expect(later.encrypted, 'rewrapped again').toBe(0);
  });

  it('a keystore that cannot wrap anything new: the profile opens, the old wrapping stays, and it is tried again', () => {
    const dir = tempDir();
    const protector = new FakeProtector('gnome_libsecret');
    const first = open(dir, protector);
    const { contactId } = withHistory(first);
    first.db.close();
    asBeforeTrustMacs(dir, protector);
    const wrappedBefore = readFileSync(join(dir, 'database.key.wrapped'));

    const store = open(dir, new ReadOnlyKeystore());
    expect(store.contacts.byId(contactId)).toMatchObject({ damaged: null });
    store.db.close();
    expect(readFileSync(join(dir, 'database.key.wrapped')).equals(wrappedBefore)).toBe(true);

    open(dir, protector).db.close();
    expect(loadDatabaseKey(dir, protector, true).trustMacsInForce).toBe(true);
  });

  it('a key file never records it: whoever can read the file can compute MACs, so it proves nothing', () => {
    const dir = tempDir();
    open(dir).db.close();
    expect(loadDatabaseKey(dir, null, true).trustMacsInForce).toBe(false);
    expect(readFileSync(join(dir, 'database.key'))).toHaveLength(32);
  });
});
