/**
 * Attack: the trust columns are authenticated, and the MACs of the contacts an older version
 * wrote are computed once, at the first open after the upgrade. So the attacker who edits a copy
 * of the database (Bob's pin becomes Mallory's, verified, at her address) also makes it look as if
 * it had never been upgraded — the upgrade marker set back to "pending", or the MAC columns
 * dropped and the schema version lowered — hoping the next open authenticates the forged row.
 * With an OS keystore the wrapped key records that MACs are in force, which no database edit can
 * undo: the forged row stays damaged and Mallory is refused.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { FakeKeystore } from '../helpers/fake-keystore';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

const ROLLBACKS: Array<[string, string]> = [
  ['the upgrade marker set back to "pending"', "UPDATE store_meta SET value = 'pending' WHERE key = 'trust_mac_backfill'"],
  [
    'the MAC columns dropped and the schema version lowered',
    'ALTER TABLE contacts DROP COLUMN trust_mac; ALTER TABLE conversations DROP COLUMN mac; DROP TABLE store_meta; PRAGMA user_version = 3;',
  ],
];

describe('a profile rolled back to before the MAC upgrade re-launders a re-pinned contact', () => {
  it.each(ROLLBACKS)('%s: Bob stays damaged, and Mallory with his row is refused', async (_label, rollback) => {
    const keystore = new FakeKeystore();
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { unknownPeers: 'accept' });
    let alice = await lab.peer('Alice', { unknownPeers: 'refuse', protector: keystore });
    const bobAtAlice = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.send(bobAtAlice.id, 'for Bob only: the door code is 4711');
    const dir = alice.dir;
    await lab.close(alice.m);

    const db = new Database(join(dir, 'lockstep.db'));
    db.prepare('UPDATE contacts SET pin = ?, verified = 1, address = ? WHERE id = ?').run(mallory.m.identity.pin, mallory.address, bobAtAlice.id);
    db.exec(rollback);
    db.close();

    alice = await lab.open(dir, { unknownPeers: 'refuse', protector: keystore });
    expect(alice.m.contacts.byId(bobAtAlice.id)).toMatchObject({ verified: false, damaged: expect.any(String) });
    await expect(alice.m.connect(bobAtAlice.id)).rejects.toMatchObject({ code: 'CONTACT_DAMAGED' });
    const aliceAtMallory = mallory.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' });
    mallory.m.want(aliceAtMallory.id);
    await alice.log.waitFor('conn.closed', (e) => e.detail.code === 'CONTACT_DAMAGED');
    expect(alice.log.of('conn.ready')).toEqual([]);
    expect(mallory.log.of('message.received')).toEqual([]);

    // Reopened once more, nothing has healed it.
    await lab.close(alice.m);
    alice = await lab.open(dir, { unknownPeers: 'refuse', listen: false, protector: keystore });
    expect(alice.m.contacts.byId(bobAtAlice.id)?.damaged).toEqual(expect.any(String));
  });
});
