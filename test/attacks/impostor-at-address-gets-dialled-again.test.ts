/**
 * Attack: sit at a contact's address with another key and let the app come back. A dial that met
 * a different key fails with PIN_MISMATCH; if the reconnector treated that like a lost network,
 * the impostor would get a fresh handshake (and a fresh key-change card, a fresh chance to be
 * clicked through) on every retry, for as long as the app runs. A changed key stops retrying
 * until the user acts; an unreachable address, in the same engine, is retried.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { freePort } from '../helpers/durability-peers';
import { hostileListener, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('an impostor at the contact’s address waits to be dialled again', () => {
  it('is dialled once: a changed key is not retried, while an unreachable contact is', async () => {
    const alice = await lab.peer('Alice', { listen: false, timeouts: { retryInitialMs: 20, retryMaxMs: 40 } });
    const bob = await lab.peer('Bob', { listen: false });
    const carol = await lab.peer('Carol', { listen: false });
    const mallory = await throwaway(lab, 'Bob');
    const hostile = await hostileListener(mallory, []);
    const aliceBob = alice.m.addContact({ address: hostile.address, pin: bob.m.identity.pin, name: 'Bob' });
    // Nobody listens here: a network failure, which the reconnector must keep trying.
    const aliceCarol = alice.m.addContact({ address: `127.0.0.1:${await freePort()}`, pin: carol.m.identity.pin, name: 'Carol' });

    alice.m.want(aliceBob.id);
    alice.m.want(aliceCarol.id);
    await alice.log.waitFor('conn.closed', (e) => e.detail.contactId === aliceBob.id && e.detail.code === 'PIN_MISMATCH');
    expect(alice.m.nextAttemptAt(aliceBob.id), 'no retry after a changed key').toBeNull();

    // Carol's address is dialled again and again meanwhile: the retries run at this pace.
    const carolFailures = () => alice.log.of('conn.closed', (e) => e.detail.contactId === aliceCarol.id).length;
    await alice.log.waitFor('conn.closed', (e) => e.detail.contactId === aliceCarol.id && carolFailures() >= 4, { what: 'four failed dials to Carol' });
    expect(alice.m.nextAttemptAt(aliceCarol.id), 'an unreachable contact is retried').not.toBeNull();

    const bobDials = alice.log.of('conn.closed', (e) => e.detail.contactId === aliceBob.id);
    expect(bobDials.map((e) => e.detail.code), 'dials that reached the impostor').toEqual(['PIN_MISMATCH']);
    expect(alice.m.keyChanges.list(), 'one key-change card, not one per retry').toHaveLength(1);
    expect(alice.m.contacts.byId(aliceBob.id)!.pin).toBe(bob.m.identity.pin);
    await hostile.close();
  });
});
