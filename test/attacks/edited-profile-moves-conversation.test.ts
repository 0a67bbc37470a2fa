/**
 * Attack: Mallory is one of Alice's contacts, and can write a copy of Alice's database. She moves
 * Bob's conversation to her own contact row (conversations.contact_id), leaving every pin as it is.
 * Bob's history would then show under Mallory's name, and the messages Alice queued for Bob would
 * be sent to Mallory — over a perfectly valid, pinned connection — as soon as she connects. The
 * binding of a conversation to its contact must be checked, and a contact that fails is damaged.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('an edited profile moves a conversation to another contact', () => {
  it("Bob's queued messages are not sent to Mallory, and both contacts show as damaged", async () => {
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { listen: false });
    let alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const bobAtAlice = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    const malloryAtAlice = alice.m.addContact({ address: '127.0.0.1:9', pin: mallory.m.identity.pin, name: 'Mallory' });
    alice.m.send(bobAtAlice.id, 'for Bob only: the door code is 4711');
    alice.m.send(malloryAtAlice.id, 'hello Mallory');
    const dir = alice.dir;
    await lab.close(alice.m);

    const db = new Database(join(dir, 'lockstep.db'));
    db.pragma('foreign_keys = OFF'); // the attacker's own connection: nothing obliges it to check
    db.transaction(() => {
      const conv = (contact: string) => db.prepare('SELECT id FROM conversations WHERE contact_id = ?').pluck().get(contact) as string;
      const [bobs, mallorys] = [conv(bobAtAlice.id), conv(malloryAtAlice.id)];
      db.prepare("UPDATE conversations SET contact_id = 'tmp' WHERE id = ?").run(bobs);
      db.prepare('UPDATE conversations SET contact_id = ? WHERE id = ?').run(bobAtAlice.id, mallorys);
      db.prepare('UPDATE conversations SET contact_id = ? WHERE id = ?').run(malloryAtAlice.id, bobs);
    })();
    db.close();

    alice = await lab.open(dir, { unknownPeers: 'refuse' });
    const malloryDials = mallory.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' });
    mallory.m.want(malloryDials.id);
    // Whichever comes first: Alice refuses her, or Alice's queue reaches her.
    await Promise.race([alice.log.waitFor('conn.closed', (e) => e.detail.code === 'CONTACT_DAMAGED'), mallory.log.waitFor('message.received')]);
    const gotByMallory = mallory.log.of('message.received').map((e) => mallory.m.messages.get(e.detail.contactId, e.detail.messageId)?.text);
    expect(gotByMallory).toEqual([]);
    expect(alice.m.contacts.byId(malloryAtAlice.id)?.damaged).toEqual(expect.any(String));
    expect(alice.m.contacts.byId(bobAtAlice.id)?.damaged).toEqual(expect.any(String));
  });
});
