/**
 * Attack: someone who can write a copy of the profile's database (a backup, a synced folder, a
 * moment at an unlocked machine) edits the trust columns, which sat in the clear and
 * unauthenticated: Bob's pin becomes Mallory's, marked verified, and his address hers. Mallory is
 * then let in as Bob — with Bob's history and the messages queued for him — both when she dials
 * and when the victim dials "Bob". A contact whose trust columns fail their check must be refused
 * in both directions and shown as damaged, never trusted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { engineHandlers } from '../../main/core/api/handlers';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

/** The attacker's edit, made with nothing but SQLite on the closed profile. */
function edit(profileDir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(profileDir, 'lockstep.db'));
  db.prepare(sql).run(...params);
  db.close();
}

describe('an edited profile re-pins a contact', () => {
  it("Bob's pin, verified flag and address rewritten to Mallory's: she is refused both ways and Bob shows as damaged", async () => {
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { unknownPeers: 'accept' });
    let alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const bobForAlice = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.send(bobForAlice.id, 'for Bob only: the door code is 4711');
    const aliceDir = alice.dir;
    await lab.close(alice.m);

    edit(aliceDir, 'UPDATE contacts SET pin = ?, verified = 1, address = ? WHERE id = ?', mallory.m.identity.pin, mallory.address, bobForAlice.id);
    alice = await lab.open(aliceDir, { unknownPeers: 'refuse' });

    // What the app shows: damaged, not verified, with a stable code.
    const [view] = await engineHandlers(alice.m).listContacts({});
    expect(view).toMatchObject({ id: bobForAlice.id, verified: false, trustProblem: { code: 'CONTACT_DAMAGED' } });

    // Alice dials "Bob" (the queued message makes her try at once): refused before any dial.
    await expect(alice.m.connect(bobForAlice.id)).rejects.toMatchObject({ code: 'CONTACT_DAMAGED' });
    // Mallory dials Alice with her own key, the one now written into Bob's row: refused.
    const aliceAtMallory = mallory.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' });
    mallory.m.want(aliceAtMallory.id);
    const refused = await alice.log.waitFor('conn.closed', (e) => e.detail.code === 'CONTACT_DAMAGED');
    expect(refused.detail.contactId).toBeNull();

    expect(mallory.log.of('message.received')).toEqual([]);
    expect(alice.log.of('conn.ready')).toEqual([]);
    expect(mallory.log.of('tcp.accept').length + mallory.log.of('trust.decision').length, 'Alice never dialled Mallory').toBe(0);
    expect(() => alice.m.markVerified(bobForAlice.id)).toThrow(expect.objectContaining({ code: 'CONTACT_DAMAGED' }));
  });

  it('a contact row inserted by hand with the attacker\'s pin is not trusted', async () => {
    const mallory = await lab.peer('Mallory', { listen: false });
    let alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const aliceDir = alice.dir;
    await lab.close(alice.m);
    edit(aliceDir, "INSERT INTO contacts (id, name, pin, address, verified, created_at) VALUES ('forged', 'Bob', ?, NULL, 1, '2026-01-01')", mallory.m.identity.pin);
    alice = await lab.open(aliceDir, { unknownPeers: 'refuse' });

    expect(alice.m.contacts.byId('forged')).toMatchObject({ verified: false, damaged: expect.any(String) });
    const aliceAtMallory = mallory.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' });
    mallory.m.want(aliceAtMallory.id);
    await alice.log.waitFor('conn.closed', (e) => e.detail.code === 'CONTACT_DAMAGED');
    expect(alice.log.of('conn.ready')).toEqual([]);
  });
  it('the damaged contact can be removed, and the real Bob added again from his pin, unverified until checked', async () => {
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { listen: false });
    let alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const bobForAlice = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    const aliceDir = alice.dir;
    await lab.close(alice.m);
    edit(aliceDir, 'UPDATE contacts SET pin = ?, verified = 1 WHERE id = ?', mallory.m.identity.pin, bobForAlice.id);
    alice = await lab.open(aliceDir, { unknownPeers: 'refuse' });
    // While the damaged row holds Mallory's pin, neither key can be added over it.
    expect(() => alice.m.addContact({ address: '127.0.0.1:9', pin: mallory.m.identity.pin, name: 'Bob' })).toThrow(expect.objectContaining({ code: 'CONTACT_DAMAGED' }));

    await engineHandlers(alice.m).removeContact({ contactId: bobForAlice.id });
    expect(await engineHandlers(alice.m).listContacts({})).toEqual([]);
    const again = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    expect(again).toMatchObject({ pin: bob.m.identity.pin, verified: false, damaged: null });
    expect(again.id).not.toBe(bobForAlice.id);
  });
});
