import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { DATABASE_FILE } from './database';
import { openStore, type Store } from './store';
import { TrustMac } from './trust-mac';

const dirs: string[] = [];
const handles: Array<{ close(): unknown; open: boolean }> = [];
afterAll(() => {
  for (const h of handles) if (h.open) h.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pin = (n: number) => `sha256/${Buffer.alloc(32, n).toString('base64')}`;

function open(dir: string): Store {
  const store = openStore(dir);
  handles.push(store.db);
  return store;
}

/** A profile with Alice (verified, with an address) and Bob, closed; then `sql` run on the file. */
function editedProfile(sql: string, ...params: unknown[]): { store: Store; alice: string; bob: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-trustmac-'));
  dirs.push(dir);
  const first = open(dir);
  const alice = first.contacts.add({ name: 'Alice', pin: pin(1), address: '127.0.0.1:1', verified: true }).contact.id;
  const bob = first.contacts.add({ name: 'Bob', pin: pin(2), address: null }).contact.id;
  first.db.close();
  const db = new Database(join(dir, DATABASE_FILE));
  db.prepare(sql).run(...params.map((p) => (p === 'ALICE' ? alice : p === 'BOB' ? bob : p)));
  db.close();
  return { store: open(dir), alice, bob };
}

describe('TrustMac', () => {
  it('tells rows apart by every column, and by the key', () => {
    const mac = new TrustMac(new Uint8Array(32).fill(7));
    const row = { id: 'c1', pin: pin(1), address: '10.0.0.1:1' as string | null, verified: true };
    const tag = mac.compute(row);
    expect(mac.verify(row, tag)).toBe(true);
    for (const changed of [{ id: 'c2' }, { pin: pin(3) }, { address: '10.0.0.2:1' }, { address: null }, { address: '' }, { verified: false }]) {
      expect(mac.verify({ ...row, ...changed }, tag), JSON.stringify(changed)).toBe(false);
    }
    expect(new TrustMac(new Uint8Array(32).fill(8)).verify(row, tag)).toBe(false);
    expect(mac.verify(row, null)).toBe(false);
    expect(mac.verify(row, tag.subarray(0, 16))).toBe(false);
  });
});

describe('contacts with authenticated trust columns', () => {
  it('an untouched profile: nothing damaged, verified as stored', () => {
    const { store, alice, bob } = editedProfile('SELECT 1');
    expect(store.contacts.byId(alice)).toMatchObject({ verified: true, damaged: null });
    expect(store.contacts.byId(bob)).toMatchObject({ verified: false, damaged: null });
  });

  it.each([
    ['a re-pinned contact', 'UPDATE contacts SET pin = ? WHERE id = ?', pin(9), 'BOB'],
    ['a forged verified mark', 'UPDATE contacts SET verified = 1 WHERE id = ?', 'BOB'],
    ['a moved address', "UPDATE contacts SET address = '203.0.113.5:1' WHERE id = ?", 'ALICE'],
    ['a removed MAC', 'UPDATE contacts SET trust_mac = NULL WHERE id = ?', 'ALICE'],
    ['a MAC copied from another row', 'UPDATE contacts SET trust_mac = (SELECT trust_mac FROM contacts WHERE id = ?) WHERE id = ?', 'ALICE', 'BOB'],
  ])('%s is damaged: unverified, refused by add and by every trust write', (_label, sql, ...params) => {
    const { store, ...ids } = editedProfile(sql, ...params);
    const victim = params.at(-1) === 'ALICE' ? ids.alice : ids.bob;
    const contact = store.contacts.byId(victim)!;
    expect(contact).toMatchObject({ verified: false, damaged: expect.stringMatching(/integrity check/) });
    expect(() => store.contacts.add({ name: 'x', pin: contact.pin, address: null })).toThrow(expect.objectContaining({ code: 'CONTACT_DAMAGED' }));
    expect(() => store.contacts.setVerified(victim, true)).toThrow(expect.objectContaining({ code: 'CONTACT_DAMAGED' }));
    expect(() => store.contacts.setAddress(victim, '127.0.0.1:5')).toThrow(expect.objectContaining({ code: 'CONTACT_DAMAGED' }));
    expect(() => store.contacts.replacePin(victim, pin(20), true)).toThrow(expect.objectContaining({ code: 'CONTACT_DAMAGED' }));
    expect(store.contacts.byId(victim)?.damaged, 'still damaged: no write re-authenticated it').toEqual(expect.any(String));
    const other = victim === ids.alice ? ids.bob : ids.alice;
    expect(store.contacts.byId(other)?.damaged, 'the other contact is intact').toBeNull();
  });

  it('writes through the store keep a row valid: address, verified, a replaced pin', () => {
    const { store, bob } = editedProfile('SELECT 1');
    store.contacts.setAddress(bob, '127.0.0.1:7');
    store.contacts.setVerified(bob, true);
    store.contacts.replacePin(bob, pin(30), true);
    store.db.close();
    const again = open(store.db.name.replace(/\/lockstep\.db$/, ''));
    expect(again.contacts.byId(bob)).toMatchObject({ pin: pin(30), address: '127.0.0.1:7', verified: true, damaged: null });
  });
});
