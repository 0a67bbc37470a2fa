/**
 * The identity and the contacts survive restarts: the same profile reopened has the same key,
 * so a dialer that pinned it connects without a prompt, and the listener still knows the dialer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { opensslPin } from '../../../test/helpers/openssl';
import { Lab } from '../../../test/helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('restarts', () => {
  it('reopening a profile gives the same identity, and no new key is written', async () => {
    const first = await lab.peer('Bob');
    const pin = opensslPin(join(first.dir, 'identity.crt'));
    const key = readFileSync(join(first.dir, 'identity.key'));
    expect(first.m.identity.pin).toBe(pin);
    await lab.close(first.m);
    for (let run = 0; run < 2; run += 1) {
      const again = await lab.open(first.dir);
      expect(again.m.hasIdentity).toBe(true);
      expect(again.m.identity).toMatchObject({ name: 'Bob', pin });
      expect(readFileSync(join(first.dir, 'identity.key')).equals(key)).toBe(true);
      expect(again.m.network().listening).toBe(true);
      await lab.close(again.m);
    }
  });

  it('a dialer that pinned the listener connects fine after the listener restarts, and the listener still knows it', async () => {
    const bob1 = await lab.peer('Bob', { unknownPeers: 'accept' });
    const port = bob1.m.network().port!;
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob1.address, pin: opensslPin(join(bob1.dir, 'identity.crt')) });
    const before = alice.m.send(contact.id, 'before the restart');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === before.id);
    const firstConn = alice.log.of('conn.ready')[0]!.conn;

    await lab.close(bob1.m);
    await alice.log.waitFor('conn.closed', (e) => e.conn === firstConn, { what: "Alice noticing Bob's restart" });

    // Same profile, same port; this time Bob refuses unknown keys: Alice must be known from the store.
    const bob2 = await lab.open(bob1.dir, { listen: { host: '127.0.0.1', port }, unknownPeers: 'refuse' });
    expect(bob2.m.network().port).toBe(port);
    const after = alice.m.send(contact.id, 'after the restart');
    const delivered = await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === after.id);
    expect(delivered.conn).not.toBe(firstConn);
    const check = alice.log.of('trust.check', (e) => e.conn === delivered.conn)[0]!;
    expect(check.detail).toMatchObject({ verdict: 'match', expected: opensslPin(join(bob1.dir, 'identity.crt')) });
    expect(bob2.log.of('trust.check')[0]?.detail).toMatchObject({ verdict: 'match', presented: opensslPin(join(alice.dir, 'identity.crt')) });
    expect(bob2.log.of('trust.pending')).toEqual([]);
    expect(bob2.log.of('trust.decision')).toEqual([]);
    const received = await bob2.log.waitFor('message.received', (e) => e.detail.messageId === after.id);
    expect(bob2.m.contacts.byId(received.detail.contactId)?.pin).toBe(alice.m.identity.pin);
  });

  it('the dialer\'s own identity and its pinned contact survive its restart too', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice1 = await lab.peer('Alice', { listen: false });
    bob.m.addContact({ address: '127.0.0.1:9', pin: opensslPin(join(alice1.dir, 'identity.crt')), name: 'Alice' });
    const contact = alice1.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    await lab.close(alice1.m);

    const alice2 = await lab.open(alice1.dir, { listen: false });
    expect(alice2.m.identity.pin).toBe(opensslPin(join(alice1.dir, 'identity.crt')));
    expect(alice2.m.contacts.byId(contact.id)).toMatchObject({ pin: bob.m.identity.pin, address: bob.address });
    const msg = alice2.m.send(contact.id, 'still me');
    await alice2.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id);
  });
});
