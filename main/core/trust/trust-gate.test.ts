/**
 * The listener's policies for a dialer whose key is not pinned, end to end over loopback:
 * `ask` holds it unread until the user decides, `accept` pins it on first use, `refuse` drops it.
 */
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { opensslPin } from '../../../test/helpers/openssl';
import { Lab, type Peer } from '../../../test/helpers/profiles';
import { safetyNumber } from './pins';

const lab = new Lab();
afterEach(() => lab.cleanup());

const SECRET = 'the vault code is 4711';
const pinOf = (p: Peer) => opensslPin(join(p.dir, 'identity.crt'));

/** Bob listening with a policy, Alice (dial-only) holding Bob's real pin, her message queued. */
async function knock(policy: 'ask' | 'accept' | 'refuse') {
  const bob = await lab.peer('Bob', { unknownPeers: policy });
  const alice = await lab.peer('Alice', { listen: false });
  const contact = alice.m.addContact({ address: bob.address, pin: pinOf(bob) });
  const msg = alice.m.send(contact.id, SECRET);
  return { bob, alice, contact, msg };
}

/**
 * Bob's tap has seen Alice's hello arrive on the wire (so the socket has data waiting): a record
 * the independent decryptor opened, its text withheld while Alice is not trusted.
 */
const helloOnTheWire = (bob: Peer, conn: string) =>
  bob.log.waitFor('tls.record', (e) => e.conn === conn && e.dir === 'in' && e.detail.decrypted?.innerContentType === 'application_data' && e.detail.withheld === 'peer-not-trusted', { what: "Alice's hello record at Bob's tap" });

describe("unknownPeers: 'ask'", () => {
  it('holds the dialer unread until the user trusts it, then the queued message is delivered', async () => {
    const { bob, alice, contact, msg } = await knock('ask');
    const pending = await bob.log.waitFor('trust.pending');
    expect(pending.detail).toMatchObject({ pin: pinOf(alice), claimedName: 'Alice', claimsKnownName: false });
    const [request] = bob.m.requests();
    expect(request).toMatchObject({ id: pending.detail.requestId, pin: pinOf(alice), connId: pending.conn });
    expect(request?.safetyNumber).toBe(safetyNumber(pinOf(alice), pinOf(bob)));
    expect(bob.log.of('trust.check', (e) => e.conn === pending.conn)[0]?.detail).toMatchObject({ role: 'listener', verdict: 'unknown', presented: pinOf(alice), expected: null });

    // Alice's hello has reached Bob's socket, yet the app layer has read nothing.
    await helloOnTheWire(bob, pending.conn!);
    expect(bob.log.of('frame.in')).toEqual([]);
    expect(bob.log.of('frame.out')).toEqual([]);
    expect(bob.log.of('message.received')).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
    expect(alice.m.messages.get(msg.contactId, msg.id)?.state).toBe('queued');
    expect(alice.log.of('frame.out', (e) => e.detail.type === 'msg')).toEqual([]);
    expect(alice.m.connectionState(contact.id)).toBe('waiting');

    const trusted = bob.m.decide(pending.detail.requestId, 'trust');
    expect(trusted).toMatchObject({ pin: pinOf(alice), name: 'Alice' });
    expect(bob.log.of('trust.decision')[0]?.detail).toMatchObject({ decision: 'trusted', requestId: pending.detail.requestId, contactId: trusted!.id });
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id);
    const received = await bob.log.waitFor('message.received');
    expect(received.conn).toBe(pending.conn);
    // What was withheld while Alice waited is shown once she is trusted, right after the decision.
    const released = bob.log.of('tls.released', (e) => e.conn === pending.conn);
    expect(released).toHaveLength(1);
    expect(released[0]!.detail.records.map((r) => r.plaintext).join('')).toContain('"type":"hello"');
    expect(bob.m.messages.page(trusted!.id, undefined, 10).map((m) => m.text)).toEqual([SECRET]);
    expect(bob.m.requests()).toEqual([]);
  });

  it('closes the connection when the user rejects, and reads nothing', async () => {
    const { bob, alice, msg } = await knock('ask');
    const pending = await bob.log.waitFor('trust.pending');
    await helloOnTheWire(bob, pending.conn!);
    expect(bob.m.decide(pending.detail.requestId, 'reject')).toBeNull();
    const closed = await bob.log.waitFor('conn.closed', (e) => e.conn === pending.conn);
    expect(closed.detail).toMatchObject({ code: 'UNTRUSTED_PEER', contactId: null });
    expect(bob.log.of('trust.decision')[0]?.detail.decision).toBe('rejected');
    const aliceConn = alice.log.of('tcp.connect')[0]!.conn;
    await alice.log.waitFor('conn.closed', (e) => e.conn === aliceConn);
    expect(bob.log.of('frame.in')).toEqual([]);
    expect(bob.m.contacts.byPin(pinOf(alice))).toBeNull();
    expect(alice.m.messages.get(msg.contactId, msg.id)?.state).toBe('queued');
    expect(() => bob.m.decide(pending.detail.requestId, 'trust')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('forgets a request whose dialer left before a decision', async () => {
    const { bob, alice } = await knock('ask');
    const pending = await bob.log.waitFor('trust.pending');
    await helloOnTheWire(bob, pending.conn!);
    await lab.close(alice.m);
    await bob.log.waitFor('conn.closed', (e) => e.conn === pending.conn, { what: "Bob noticing that the held dialer left" });
    expect(bob.m.requests()).toEqual([]);
    expect(() => bob.m.decide(pending.detail.requestId, 'trust')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('warns when a new key claims the name of a known contact, and never merges it into that contact', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'ask' });
    const alice = await lab.peer('Alice', { listen: false });
    const fake = await lab.peer('Alice', { listen: false });
    bob.m.addContact({ address: '127.0.0.1:9', pin: pinOf(alice), name: 'Alice' });
    const contact = fake.m.addContact({ address: bob.address, pin: pinOf(bob) });
    fake.m.send(contact.id, SECRET);
    const pending = await bob.log.waitFor('trust.pending');
    expect(pending.detail).toMatchObject({ claimedName: 'Alice', claimsKnownName: true, pin: pinOf(fake) });
    expect(pending.summary).toMatch(/impersonation/i);
    const added = bob.m.decide(pending.detail.requestId, 'trust');
    expect(added?.pin).toBe(pinOf(fake));
    expect(added?.name).not.toBe('Alice');
    expect(bob.m.contacts.byPin(pinOf(alice))).toMatchObject({ name: 'Alice' });
    expect(bob.m.contacts.list()).toHaveLength(2);
  });
});

describe("unknownPeers: 'accept'", () => {
  it('trusts and pins a new dialer on first use, and stores it as a contact', async () => {
    const { bob, alice, msg } = await knock('accept');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id);
    const decision = bob.log.of('trust.decision')[0]!;
    expect(decision.detail).toMatchObject({ decision: 'auto-trusted', pin: pinOf(alice), requestId: null });
    expect(bob.log.of('trust.pending')).toEqual([]);
    expect(bob.m.contacts.byPin(pinOf(alice))).toMatchObject({ id: decision.detail.contactId, name: 'Alice', address: null });
  });
});

describe("unknownPeers: 'refuse'", () => {
  it('refuses the unknown dialer, reads none of its frames, and the message is never delivered', async () => {
    const { bob, alice, msg } = await knock('refuse');
    const closed = await bob.log.waitFor('conn.closed');
    expect(closed.detail).toMatchObject({ by: 'local', code: 'UNTRUSTED_PEER', contactId: null });
    expect(bob.log.of('trust.check', (e) => e.conn === closed.conn)[0]?.detail).toMatchObject({ verdict: 'unknown', presented: pinOf(alice) });
    const aliceConn = alice.log.of('tcp.connect')[0]!.conn;
    await alice.log.waitFor('conn.closed', (e) => e.conn === aliceConn);
    expect(bob.log.of('frame.in')).toEqual([]);
    expect(bob.log.of('trust.decision')).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
    expect(alice.log.of('message.delivered')).toEqual([]);
    expect(alice.m.messages.get(msg.contactId, msg.id)?.state).not.toBe('delivered');
    const plaintext = bob.log.of('tls.record').map((e) => e.detail.decrypted?.plaintext ?? '').join('');
    expect(plaintext).not.toContain(SECRET);
  });

  it('still lets a pinned contact in', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice = await lab.peer('Alice', { listen: false });
    bob.m.addContact({ address: '127.0.0.1:9', pin: pinOf(alice), name: 'Alice' });
    const contact = alice.m.addContact({ address: bob.address, pin: pinOf(bob) });
    const msg = alice.m.send(contact.id, 'known friend');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id);
    expect(bob.log.of('trust.check')[0]?.detail).toMatchObject({ verdict: 'match', expected: pinOf(alice), presented: pinOf(alice) });
  });
});
