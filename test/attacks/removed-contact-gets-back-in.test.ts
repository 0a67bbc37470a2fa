/**
 * Attack: a contact the user removed tries to carry on as before — dialling back with the key that
 * used to be pinned, or finishing a handshake that began before the removal — hoping some part of
 * the engine still takes that key for the contact (a cached conversation, a live link, a retry, a
 * pending key change). Removal must end the trust: the key is a stranger's again, held for the
 * user's decision like any unknown key, nothing of theirs is shown, and the removed history and
 * queue are gone from the database file.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab, type Peer } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

function rowsIn(profileDir: string): Record<string, number> {
  const db = new Database(join(profileDir, 'lockstep.db'), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { contacts: count('contacts'), pin_history: count('pin_history'), conversations: count('conversations'), messages: count('messages') };
  } finally {
    db.close();
  }
}

/** Alice and Bob pinned to each other, one message each way delivered. */
async function friends(): Promise<{ alice: Peer; bob: Peer; bobAtAlice: string; aliceAtBob: string }> {
  const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
  const bob = await lab.peer('Bob', { unknownPeers: 'ask' });
  const bobAtAlice = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' }).id;
  const aliceAtBob = bob.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' }).id;
  alice.m.send(bobAtAlice, 'hello Bob');
  await bob.log.waitFor('message.received');
  bob.m.send(aliceAtBob, 'hello Alice');
  await alice.log.waitFor('message.received');
  await bob.log.waitFor('message.delivered');
  return { alice, bob, bobAtAlice, aliceAtBob };
}

describe('a removed contact tries to get back in', () => {
  it('dialling back with the old key: held as a stranger, nothing shown, the old history gone from the file', async () => {
    const { alice, bob, bobAtAlice, aliceAtBob } = await friends();
    // Everything after this seq happened after the removal (seqs have gaps: see EventSlot).
    const before = Math.max(...alice.log.all.map((e) => e.seq));
    await alice.m.removeContact(bobAtAlice);
    await alice.log.waitFor('conn.closed', (e) => e.detail.contactId === bobAtAlice);
    expect(alice.m.contacts.list()).toEqual([]);
    expect(rowsIn(alice.dir)).toEqual({ contacts: 0, pin_history: 0, conversations: 0, messages: 0 });
    expect(() => alice.m.requireContact(bobAtAlice)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await expect(alice.m.connect(bobAtAlice)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Bob still has Alice pinned and writes again: his app redials with the key Alice used to trust.
    await bob.log.waitFor('conn.closed');
    bob.m.send(aliceAtBob, 'it is still me, let me in');
    const held = await alice.log.waitFor('trust.pending', (e) => e.seq > before);
    expect(held.detail.pin).toBe(bob.m.identity.pin);
    expect(alice.m.requests().map((r) => r.pin)).toEqual([bob.m.identity.pin]);
    const after = alice.log.all.filter((e) => e.seq > before);
    expect(after.filter((e) => e.kind === 'conn.ready' || e.kind === 'message.received')).toEqual([]);
    expect(after.filter((e) => e.kind === 'tls.record' && (e.detail.decrypted?.plaintext ?? '').includes('still me'))).toEqual([]);
    expect(alice.m.contacts.list()).toEqual([]);
  });

  it('a handshake under way when the contact is removed attaches to nobody', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const bobAtAlice = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' }).id;
    const dialling = alice.m.connect(bobAtAlice); // runs up to its handshake, then the removal runs
    await alice.m.removeContact(bobAtAlice);
    await expect(dialling).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(alice.log.of('conn.ready')).toEqual([]);
    expect(alice.log.of('frame.out')).toEqual([]);
    expect(alice.m.contacts.list()).toEqual([]);
  });

  it('a handshake under way attaches to nobody even after the engine has talked to the contact before', async () => {
    // The engine remembers which contacts exist (a cache on the per-message path). One earlier
    // connection puts Bob in it; the removal must take him out, or the redial below lands on him.
    const alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const bobAtAlice = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' }).id;
    await alice.m.connect(bobAtAlice);
    alice.m.disconnect(bobAtAlice);
    await alice.log.waitFor('conn.closed', (e) => e.detail.contactId === bobAtAlice);
    const readyBefore = alice.log.of('conn.ready').length;

    const dialling = alice.m.connect(bobAtAlice);
    await alice.m.removeContact(bobAtAlice);
    await expect(dialling).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(alice.log.of('conn.ready')).toHaveLength(readyBefore);
    expect(alice.m.contacts.list()).toEqual([]);
  });

  it('a pending key change of the removed contact ends with it, so nothing is left to accept', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Bob', { listen: false }); // Mallory, under Bob's name
    const bobAtAlice = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' }).id;
    // Mallory dials Alice calling herself Bob: a key change held for Bob.
    const aliceAtMallory = mallory.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' }).id;
    mallory.m.want(aliceAtMallory);
    const detected = await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'detected');
    expect(detected.detail.contactId).toBe(bobAtAlice);

    await alice.m.removeContact(bobAtAlice);
    const ended = await alice.log.waitFor('trust.key-change', (e) => e.detail.changeId === detected.detail.changeId && e.detail.resolution === 'expired');
    expect(ended.detail.contactId).toBe(bobAtAlice);
    expect(alice.m.keyChanges.list()).toEqual([]);
    expect(() => alice.m.reverifyKeyChange(detected.detail.changeId, { allGroupsMatch: true, groups: ['00000'] })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
