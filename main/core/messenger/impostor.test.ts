/**
 * The impostor drill, in both roles, with proof from the event streams that no message text
 * crossed: not as a frame, not inside any record the independent decryptor could open.
 */
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../../shared/events';
import { opensslPin } from '../../../test/helpers/openssl';
import { Lab, type Peer } from '../../../test/helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

const SECRET = 'launch code 0000 — for Bob only';
const pinOf = (p: Peer) => opensslPin(join(p.dir, 'identity.crt'));

/** Every decrypted application byte in these events, and every record that could not be opened. */
function applicationBytes(events: LockstepEvent[], dir: 'in' | 'out') {
  const records = events.flatMap((e) => (e.kind === 'tls.record' && e.dir === dir ? [e.detail] : []));
  return {
    records,
    appData: records.filter((r) => r.decrypted?.innerContentType === 'application_data'),
    unopened: records.filter((r) => r.encrypted && !r.decrypted),
  };
}

describe('impostor as listener (a key other than the pinned one answers at the address)', () => {
  it('refuses with PIN_MISMATCH before a single application byte leaves the dialer', async () => {
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { unknownPeers: 'accept' }); // as eager as an attacker would be
    const alice = await lab.peer('Alice', { listen: false });
    // Alice holds Bob's pin, but the address leads to Mallory.
    const contact = alice.m.addContact({ address: mallory.address, pin: pinOf(bob), name: 'Bob' });

    await expect(alice.m.connect(contact.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    const msg = alice.m.send(contact.id, SECRET); // tries again: the same refusal
    await alice.log.waitFor('trust.check', () => true, { count: 2 });
    await alice.log.waitFor('conn.closed', () => true, { count: 2 });

    const conns = alice.log.of('tcp.connect').map((e) => e.conn);
    expect(conns).toHaveLength(2);
    for (const conn of conns) {
      const events = alice.log.onConn(conn);
      const check = events.find((e) => e.kind === 'trust.check');
      expect(check?.detail).toMatchObject({ role: 'dialer', verdict: 'mismatch', expected: pinOf(bob), presented: pinOf(mallory) });
      expect(check?.summary).toMatch(/MISMATCH/);
      expect(events.find((e) => e.kind === 'conn.closed')?.detail).toMatchObject({ code: 'PIN_MISMATCH' });
      expect(events.filter((e) => e.kind === 'frame.out')).toEqual([]);
      // Alice's tap: she sent her ClientHello and at most her handshake flight (she may abort
      // before even that leaves); every record she sent was opened and none was application data.
      const out = applicationBytes(events, 'out');
      expect(out.records[0]?.contentType).toBe('handshake');
      expect(out.records.filter((r) => r.encrypted && r.decrypted?.epoch !== 'handshake')).toEqual([]);
      expect(out.unopened).toEqual([]);
      expect(out.appData).toEqual([]);
    }
    expect(alice.m.messages.get(msg.contactId, msg.id)?.state).toBe('queued');
    expect(alice.log.of('frame.out')).toEqual([]);
    expect(alice.log.of('conn.ready')).toEqual([]);

    // Mallory's side: both connections ended without a frame or a byte of the text reaching her.
    await mallory.log.waitFor('tcp.accept', () => true, { count: 2 });
    for (const { conn } of mallory.log.of('tcp.accept')) {
      await mallory.log.waitMatch((e) => e.conn === conn && (e.kind === 'tls.error' || e.kind === 'conn.closed'), { what: `the end of Mallory's ${conn}` });
    }
    expect(mallory.log.of('frame.in')).toEqual([]);
    expect(mallory.log.of('message.received')).toEqual([]);
    const inbound = applicationBytes(mallory.log.all, 'in');
    expect(inbound.appData).toEqual([]);
    expect(JSON.stringify(mallory.log.all)).not.toContain(SECRET);
    expect(JSON.stringify(mallory.log.all)).not.toContain(Buffer.from(SECRET).toString('hex').slice(0, 16));
  });

  it('never lets an impostor in, even when the dialer also listens with accept', async () => {
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { unknownPeers: 'accept' });
    const contact = alice.m.addContact({ address: mallory.address, pin: pinOf(bob) });
    await expect(alice.m.connect(contact.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    expect(alice.m.contacts.byPin(pinOf(mallory))).toBeNull();
    expect(alice.m.contacts.byId(contact.id)?.pin).toBe(pinOf(bob));
  });
});

describe('impostor as dialer (an unknown key knocks at a listener that only accepts pinned contacts)', () => {
  it('is refused; the listener reads no frame and the text never reaches it', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice = await lab.peer('Alice', { listen: false });
    bob.m.addContact({ address: '127.0.0.1:9', pin: pinOf(alice), name: 'Alice' });
    // Mallory calls herself Alice and knows Bob's real pin, but she does not have Alice's key.
    const mallory = await lab.peer('Alice', { listen: false });
    const contact = mallory.m.addContact({ address: bob.address, pin: pinOf(bob) });
    const msg = mallory.m.send(contact.id, SECRET);

    const closed = await bob.log.waitFor('conn.closed');
    expect(closed.detail).toMatchObject({ code: 'UNTRUSTED_PEER', by: 'local' });
    expect(bob.log.of('trust.check', (e) => e.conn === closed.conn)[0]?.detail).toMatchObject({
      role: 'listener',
      verdict: 'unknown',
      presented: pinOf(mallory),
      expected: null,
    });
    const malloryConn = mallory.log.of('tcp.connect')[0]!.conn;
    await mallory.log.waitFor('conn.closed', (e) => e.conn === malloryConn);

    expect(bob.log.of('frame.in')).toEqual([]);
    expect(bob.log.of('message.received')).toEqual([]);
    expect(bob.log.of('trust.decision')).toEqual([]);
    expect(bob.m.contacts.byPin(pinOf(mallory))).toBeNull();
    expect(bob.m.contacts.list()).toHaveLength(1);
    // The text was never even sent: the listener never greeted, so the dialer never became ready.
    expect(mallory.log.of('frame.out', (e) => e.detail.type === 'msg')).toEqual([]);
    expect(mallory.m.messages.get(msg.contactId, msg.id)?.state).toBe('queued');
    const inbound = applicationBytes(bob.log.all, 'in');
    expect(inbound.appData.map((r) => r.decrypted?.plaintext ?? '').join('')).not.toContain(SECRET);
    expect(JSON.stringify(bob.log.all)).not.toContain(SECRET);
  });
});
