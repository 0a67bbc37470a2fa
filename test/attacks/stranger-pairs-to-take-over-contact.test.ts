/**
 * Attack: take over a contact by pairing as oneself. Mallory first makes Alice's engine note a
 * "key change" for Bob (by knocking with Bob's name, or by answering at Bob's address), then gets
 * a pairing code — as Mallory, the stranger Alice agreed to pair with — and pairs. If a pairing
 * resolved any pending change to the key that paired, Bob's contact (history, outbox, verified
 * mark) would now belong to Mallory. A pairing that was not started from Bob's key-change card
 * must only ever add Mallory as a contact of her own.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { waitUntil } from '../helpers/wait';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger pairs by code to take over a contact', () => {
  it('after knocking with the contact’s name: the pairing adds her as herself, and Bob stays Bob', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const bob = await lab.peer('Bob', { listen: false });
    const aliceBob = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.markVerified(aliceBob.id);
    const forBob = alice.m.send(aliceBob.id, 'for Bob only: the outbox must never go to anyone else');

    // Mallory knocks with a certificate that says "Bob": Alice's engine sees a possible key change for Bob.
    const mallory = await throwaway(lab, 'Bob');
    const knocking = await knock(alice.address, mallory);
    knocking.send(hello('Bob'));
    await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'detected' && e.detail.newPin === mallory.pin);
    knocking.destroy();
    await alice.log.waitFor('conn.closed', (e) => e.detail.code === 'CONNECTION_CLOSED');

    // Later Alice agrees to pair with "someone" and Mallory pairs with the code, as herself.
    const malloryEngine = await lab.open(mallory.dir, { listen: false });
    const code = alice.m.startPairing();
    await malloryEngine.m.pairWith(alice.address, code);
    await alice.log.waitFor('trust.pairing', (e) => e.detail.phase === 'succeeded');

    const bobNow = alice.m.contacts.byId(aliceBob.id)!;
    expect(bobNow.pin, 'Bob’s pin after Mallory paired').toBe(bob.m.identity.pin);
    expect(bobNow.verified).toBe(true);
    expect(alice.m.contacts.pinHistory(aliceBob.id).map((h) => h.pin)).toEqual([bob.m.identity.pin]);
    const malloryContact = alice.m.contacts.byPin(mallory.pin);
    expect(malloryContact, 'Mallory as a contact of her own').not.toBeNull();
    expect(malloryContact!.id).not.toBe(aliceBob.id);
    expect(malloryContact!.name).toMatch(/not the Bob you know/);
    expect(alice.m.keyChanges.list().filter((k) => k.newPin === mallory.pin), 'a change that ended with its connection').toEqual([]);

    // Bob's outbox stays Bob's: nothing of it reaches Mallory's engine.
    await malloryEngine.log.waitFor('conn.ready');
    expect(alice.m.messages.get(aliceBob.id, forBob.id)?.state).toBe('queued');
    expect(malloryEngine.log.of('message.received')).toEqual([]);
  });

  it('after answering at the contact’s address: pairing with her elsewhere does not re-pin Bob', async () => {
    const alice = await lab.peer('Alice', { listen: false });
    const bob = await lab.peer('Bob', { listen: false });
    // Mallory listens where Alice dials Bob, and calls herself Bob.
    const mallory = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const aliceBob = alice.m.addContact({ address: mallory.address, pin: bob.m.identity.pin, name: 'Bob' });
    await expect(alice.m.connect(aliceBob.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    expect(alice.m.keyChanges.list().map((k) => k.newPin)).toEqual([mallory.m.identity.pin]);

    // Mallory shows a code "as herself" and Alice pairs with her from "Pair with a code".
    const code = mallory.m.startPairing();
    const paired = await alice.m.pairWith(mallory.address, code);

    expect(paired.id, 'the contact the pairing made').not.toBe(aliceBob.id);
    expect(paired.pin).toBe(mallory.m.identity.pin);
    expect(alice.m.contacts.byId(aliceBob.id)!.pin, 'Bob’s pin after pairing with Mallory').toBe(bob.m.identity.pin);
    expect(alice.m.contacts.pinHistory(aliceBob.id).map((h) => h.pin)).toEqual([bob.m.identity.pin]);
    await waitUntil(() => mallory.m.contacts.byPin(alice.m.identity.pin), 'Mallory to pin Alice');
  });
});
