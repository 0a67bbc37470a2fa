/**
 * Attack: pile up "key change" records. Every key that answers at a contact's address (or knocks
 * with a contact's name) leaves a pending key change behind; an attacker with a fresh key each
 * time could keep the user's key-change cards growing without end, and keep stale ones around to
 * be resolved later by something unrelated. Pending changes are capped, end with the connection
 * that raised them, and a dialer-side one expires.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { hello, hostileListener, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger piles up key changes', () => {
  it('gets at most the cap of pending changes by answering at the contact’s address with fresh keys; the rest is one summary', async () => {
    const alice = await lab.peer('Alice', { listen: false, limits: { maxKeyChanges: 2, refusalSummaryMs: 20 } });
    const bob = await lab.peer('Bob', { listen: false });
    const aliceBob = alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    const listeners = [];
    for (let i = 0; i < 4; i += 1) {
      const mallory = await throwaway(lab, 'Bob');
      const hostile = await hostileListener(mallory, []);
      listeners.push(hostile);
      alice.m.addContact({ address: hostile.address, pin: bob.m.identity.pin });
      await expect(alice.m.connect(aliceBob.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    }
    expect(alice.m.keyChanges.list(), 'pending key changes').toHaveLength(2);
    const summary = await alice.log.waitFor('trust.throttled', (e) => e.detail.count >= 2, { what: 'one summary of the refused key changes' });
    expect(summary.detail.codes).toMatchObject({ TOO_MANY_KEY_CHANGES: 2 });
    expect(alice.m.contacts.byId(aliceBob.id)!.pin).toBe(bob.m.identity.pin);
    for (const l of listeners) await l.close();
  });

  it('a change seen while dialling expires after its lifetime', async () => {
    const alice = await lab.peer('Alice', { listen: false, timeouts: { keyChangeMs: 200 } });
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await throwaway(lab, 'Bob');
    const hostile = await hostileListener(mallory, []);
    const aliceBob = alice.m.addContact({ address: hostile.address, pin: bob.m.identity.pin, name: 'Bob' });
    await expect(alice.m.connect(aliceBob.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    expect(alice.m.keyChanges.list()).toHaveLength(1);
    const expired = await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'expired');
    expect(expired.detail.newPin).toBe(mallory.pin);
    expect(alice.m.keyChanges.list()).toEqual([]);
    await hostile.close();
  });

  it('a change raised by a knock ends with that connection', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const bob = await lab.peer('Bob', { listen: false });
    alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    const mallory = await throwaway(lab, 'Bob');
    const knocking = await knock(alice.address, mallory);
    knocking.send(hello('Bob'));
    await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'detected');
    expect(alice.m.keyChanges.list()).toHaveLength(1);
    knocking.destroy();
    await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'expired');
    expect(alice.m.keyChanges.list()).toEqual([]);
    expect(alice.m.requests()).toEqual([]);
  });
});
