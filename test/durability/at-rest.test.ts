/**
 * History at rest: two real messengers chat over real TLS; then every byte of both profile
 * directories (the database, its -wal and -shm files, keys, identity) is searched for the message
 * texts and the contact names. Then the database is damaged from outside — one flipped byte in
 * one stored ciphertext, or a different key — and the history must still open, row by row, with
 * a problem reported for exactly the rows that cannot be read.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import type { MessageView } from '../../shared/views';
import { describeFiles, findPlaintext } from '../helpers/durability-files';
import { Lab, type Peer } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

const ALICE = 'Evangeline Brightwater-Okonkwo';
const BOB = 'Thaddeus Oakenshield-Varga';
const FROM_ALICE = [
  'the quokka sleeps under platform nineteen',
  'bring the vermilion umbrella and the ledger',
  'unicode at rest: héllo wörld ✓ — 你好世界 🙂',
  'a longer one: ' + 'marmalade-zeppelin '.repeat(40),
];
const FROM_BOB = ['understood, the heron flies at midnight', 'counting 4817 tangerines in the cellar'];

interface Chat {
  alice: Peer;
  bob: Peer;
  bobForAlice: string;
  aliceForBob: string;
  ids: string[];
}

/** Alice dials Bob; both send; every message is acknowledged. */
async function converse(): Promise<Chat> {
  const bob = await lab.peer(BOB, { unknownPeers: 'accept' });
  const alice = await lab.peer(ALICE, { listen: false });
  const bobForAlice = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: BOB }).id;
  const ids: string[] = [];
  for (const text of FROM_ALICE) ids.push(alice.m.send(bobForAlice, text).id);
  for (const id of ids) await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === id, { timeoutMs: 20_000, what: `Alice's delivery of ${id}` });
  const received = await bob.log.waitFor('message.received', () => true, { what: "Bob's first received message" });
  const aliceForBob = received.detail.contactId;
  expect(bob.m.contacts.byId(aliceForBob)?.name).toBe(ALICE);
  for (const text of FROM_BOB) {
    const id = bob.m.send(aliceForBob, text).id;
    ids.push(id);
    await bob.log.waitFor('message.delivered', (e) => e.detail.messageId === id, { timeoutMs: 20_000, what: `Bob's delivery of ${id}` });
  }
  await alice.log.waitFor('message.received', () => true, { count: FROM_BOB.length, what: "Alice's received messages" });
  return { alice, bob, bobForAlice, aliceForBob, ids };
}

/** What must not be found in a profile: every message text, and the names of its contacts. */
const secretsOf = (who: 'alice' | 'bob') => [...FROM_ALICE, ...FROM_BOB, who === 'alice' ? BOB : ALICE];

function expectNoPlaintext(p: Peer, who: 'alice' | 'bob', when: string): void {
  const leaks = findPlaintext(p.dir, secretsOf(who));
  expect(leaks, `plaintext in ${who}'s profile ${when} (files: ${describeFiles(p.dir)})`).toEqual([]);
}

const row = (m: MessageView) => ({ text: m.text, problem: m.problem ?? null });

describe('history at rest', () => {
  it('no message text or contact name appears in either profile, while open (db, -wal, -shm) and after closing', async () => {
    const { alice, bob, bobForAlice, aliceForBob } = await converse();
    // Both histories hold everything, readable through the store.
    const expected = [...FROM_ALICE, ...FROM_BOB];
    expect(alice.m.messages.page(bobForAlice, undefined, 50).map((m) => m.text)).toEqual(expected);
    expect(bob.m.messages.page(aliceForBob, undefined, 50).map((m) => m.text)).toEqual(expected);
    expect(describeFiles(alice.dir)).toMatch(/lockstep\.db-wal/);

    expectNoPlaintext(alice, 'alice', 'while open');
    expectNoPlaintext(bob, 'bob', 'while open');
    // The search itself works: a text written in plaintext next to the database is found.
    writeFileSync(join(alice.dir, 'probe.txt'), `x${FROM_BOB[1]}x`);
    expect(findPlaintext(alice.dir, secretsOf('alice')).map((l) => l.file)).toEqual(['probe.txt']);
    writeFileSync(join(alice.dir, 'probe.txt'), '');

    await lab.close(alice.m);
    await lab.close(bob.m);
    expectNoPlaintext(alice, 'alice', 'after closing');
    expectNoPlaintext(bob, 'bob', 'after closing');
  }, 60_000);

  it('one flipped byte in one stored ciphertext: that row reports a problem with empty text, all others intact', async () => {
    const { alice, bobForAlice } = await converse();
    const before = alice.m.messages.page(bobForAlice, undefined, 50);
    await lab.close(alice.m);
    const victim = before[2]!;

    // Damage the file from outside, with better-sqlite3 directly.
    const db = new Database(join(alice.dir, 'lockstep.db'));
    const blob = db.prepare('SELECT body_sealed FROM messages WHERE id = ?').pluck().get(victim.id) as Buffer;
    const damaged = Buffer.from(blob);
    damaged[30]! ^= 0x04; // inside the ciphertext, after version and nonce
    expect(db.prepare('UPDATE messages SET body_sealed = ? WHERE id = ?').run(damaged, victim.id).changes).toBe(1);
    db.close();

    const reopened = await lab.open(alice.dir, { listen: false });
    const after = reopened.m.messages.page(bobForAlice, undefined, 50);
    expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
    for (const [i, m] of after.entries()) {
      if (m.id === victim.id) {
        expect(m.text).toBe('');
        expect(m.problem).toEqual(expect.stringMatching(/altered on disk|not the one/));
        expect(m.problem).not.toContain(victim.text);
      } else {
        expect(row(m), `row ${i}`).toEqual({ text: before[i]!.text, problem: null });
      }
    }
    expect(reopened.m.messages.get(bobForAlice, victim.id)?.problem).toEqual(expect.any(String));
    // The contact's name was not touched and still opens; the store still writes.
    expect(reopened.m.contacts.byId(bobForAlice)).toMatchObject({ name: BOB, problem: null });
    const later = reopened.m.send(bobForAlice, 'written after the damage');
    expect(reopened.m.messages.get(bobForAlice, later.id)).toMatchObject({ text: 'written after the damage', problem: null });
  }, 60_000);

  it('a damaged row in the outbox is not sent as an empty message: the others are delivered, the receiver sees no bad frame', async () => {
    const bob = await lab.peer(BOB, { unknownPeers: 'accept' });
    const port = bob.m.network().port!;
    const bobPin = bob.m.identity.pin;
    await lab.close(bob.m);
    const alice = await lab.peer(ALICE, { listen: false, timeouts: { retryInitialMs: 50, retryMaxMs: 200 } });
    const contact = alice.m.addContact({ address: `127.0.0.1:${port}`, pin: bobPin, name: BOB }).id;
    const queued = ['first, still whole', 'second, to be damaged', 'third, still whole'].map((t) => alice.m.send(contact, t));
    await lab.close(alice.m);

    const db = new Database(join(alice.dir, 'lockstep.db'));
    const blob = Buffer.from(db.prepare('SELECT body_sealed FROM messages WHERE id = ?').pluck().get(queued[1]!.id) as Buffer);
    blob[blob.length - 1]! ^= 0x01; // the tag
    db.prepare('UPDATE messages SET body_sealed = ? WHERE id = ?').run(blob, queued[1]!.id);
    db.close();

    const bobAgain = await lab.open(bob.dir, { unknownPeers: 'accept', listen: { host: '127.0.0.1', port } });
    const aliceAgain = await lab.open(alice.dir, { listen: false, timeouts: { retryInitialMs: 50, retryMaxMs: 200 } });
    for (const i of [0, 2]) {
      await aliceAgain.log.waitFor('message.delivered', (e) => e.detail.messageId === queued[i]!.id, { timeoutMs: 20_000, what: `delivery of queued message #${i + 1}` });
    }
    await bobAgain.log.waitFor('message.received', () => true, { count: 2, what: 'two messages at Bob' });
    const aliceForBob = bobAgain.m.contacts.byPin(alice.m.identity.pin)!.id;
    expect(bobAgain.m.messages.page(aliceForBob, undefined, 10).map((m) => m.text)).toEqual(['first, still whole', 'third, still whole']);
    expect(bobAgain.log.of('app.error').map((e) => e.summary), 'frames Bob had to refuse').toEqual([]);
    const damaged = aliceAgain.m.messages.get(contact, queued[1]!.id)!;
    expect(damaged.problem).toEqual(expect.any(String));
    expect(damaged.state, 'an unreadable message must not be reported as sent').not.toBe('sent');
    expect(aliceAgain.log.of('message.sent', (e) => e.detail.messageId === queued[1]!.id), 'message.sent for the unreadable row').toEqual([]);
  }, 60_000);

  it('a wrong key (database.key replaced by 32 other bytes): every row reports a problem, nothing crashes', async () => {
    const { alice, bob, bobForAlice, aliceForBob } = await converse();
    const count = FROM_ALICE.length + FROM_BOB.length;
    await lab.close(alice.m);
    await lab.close(bob.m);
    const keyPath = join(alice.dir, 'database.key');
    const original = readFileSync(keyPath);
    let other = randomBytes(32);
    while (other.equals(original)) other = randomBytes(32);
    writeFileSync(keyPath, other, { mode: 0o600 });

    const reopened = await lab.open(alice.dir, { listen: false });
    const page = reopened.m.messages.page(bobForAlice, undefined, 50);
    expect(page).toHaveLength(count);
    for (const m of page) expect(row(m), m.id).toEqual({ text: '', problem: expect.stringMatching(/cannot be opened/) });
    expect(reopened.m.messages.undelivered(bobForAlice)).toEqual([]);
    const contact = reopened.m.contacts.byId(bobForAlice);
    expect(contact).toMatchObject({ name: '', problem: expect.any(String), pin: bob.m.identity.pin });
    await lab.close(reopened.m);

    // The other profile, with its own key, is unaffected.
    const bobAgain = await lab.open(bob.dir, { listen: false });
    expect(bobAgain.m.messages.page(aliceForBob, undefined, 50).map((m) => m.problem ?? null)).toEqual(Array(count).fill(null));
  }, 60_000);
});
