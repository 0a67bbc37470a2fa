/**
 * Attack: pass re-verification with a ground key. Both pins are public (invites, mDNS), so an
 * impostor can search offline for a key whose safety number with the victim starts with the same
 * ten digits as the real one (about 2^33 tries: hours on a GPU). A check that compares only those
 * digits lets that key in. The check must cover all twelve groups (sixty digits), with the groups
 * the user types back chosen at random after the new key was presented.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { safetyNumber } from '../../main/core/trust/pins';
import { Lab, type Peer } from '../helpers/profiles';
import { hostileListener, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

const groupsOf = (number: string) => number.split(/\s+/);

/** Alice's contact Bob, and a pending key change raised by an impostor answering at Bob's address. */
async function keyChange(alice: Peer, bobPin: string) {
  const mallory = await throwaway(lab, 'Bob');
  const hostile = await hostileListener(mallory, []);
  const aliceBob = alice.m.addContact({ address: hostile.address, pin: bobPin, name: 'Bob' });
  await expect(alice.m.connect(aliceBob.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
  const change = alice.m.keyChanges.list().find((k) => k.newPin === mallory.pin)!;
  await hostile.close();
  return { change, mallory, aliceBob };
}

describe('an impostor tries to pass re-verification', () => {
  it('is refused with the first ten digits, with the asked groups alone, and with one group wrong', async () => {
    const alice = await lab.peer('Alice', { listen: false });
    const bob = await lab.peer('Bob', { listen: false });
    const { change, mallory, aliceBob } = await keyChange(alice, bob.m.identity.pin);
    const number = safetyNumber(alice.m.identity.pin, mallory.pin);
    const groups = groupsOf(number);

    // What a ground key would match: the first two groups.
    expect(() => alice.m.reverifyKeyChange(change.id, number.replace(/\s/g, '').slice(0, 10) as never)).toThrow();
    expect(alice.m.contacts.byId(aliceBob.id)!.pin).toBe(bob.m.identity.pin);

    // The card shows the whole number and asks for groups chosen at random.
    const view = alice.m.keyChanges.list().find((k) => k.id === change.id)!;
    expect(view.safetyNumber).toBe(number);
    expect(groupsOf(view.safetyNumber)).toHaveLength(12);
    expect(new Set(view.checkGroups).size).toBe(view.checkGroups.length);
    expect(view.checkGroups.length).toBeGreaterThanOrEqual(3);
    for (const g of view.checkGroups) {
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThan(12);
    }
    const asked = view.checkGroups.map((g) => groups[g]!);

    // Typing the asked groups without confirming that all twelve match is not enough.
    expect(() => alice.m.reverifyKeyChange(change.id, { allGroupsMatch: false, groups: asked })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    // Right digits, wrong places: groups of the number the user was not asked for (a ground key's first groups, say).
    const elsewhere = groups.map((_, g) => g).filter((g) => !view.checkGroups.includes(g)).slice(0, asked.length).map((g) => groups[g]!);
    expect(() => alice.m.reverifyKeyChange(change.id, { allGroupsMatch: true, groups: elsewhere })).toThrow(expect.objectContaining({ code: 'SAFETY_NUMBER_MISMATCH' }));
    // One asked group wrong.
    const oneWrong = asked.map((g, i) => (i === asked.length - 1 ? g.replace(/^./, (d) => String((Number(d) + 1) % 10)) : g));
    expect(() => alice.m.reverifyKeyChange(change.id, { allGroupsMatch: true, groups: oneWrong })).toThrow(expect.objectContaining({ code: 'SAFETY_NUMBER_MISMATCH' }));
    expect(alice.m.contacts.byId(aliceBob.id)!.pin).toBe(bob.m.identity.pin);

    // Only the full check (all twelve compared, the asked groups typed) re-pins.
    const contact = alice.m.reverifyKeyChange(change.id, { allGroupsMatch: true, groups: asked });
    expect(contact.pin).toBe(mallory.pin);
    expect(contact.verified).toBe(true);
  });

  it('cannot predict which groups will be asked: they are drawn for each new key', async () => {
    const alice = await lab.peer('Alice', { listen: false, limits: { maxKeyChanges: 50 } });
    const bob = await lab.peer('Bob', { listen: false });
    const asked = new Set<string>();
    const positions = new Set<number>();
    for (let i = 0; i < 8; i += 1) {
      const { change } = await keyChange(alice, bob.m.identity.pin);
      const view = alice.m.keyChanges.list().find((k) => k.id === change.id)!;
      asked.add(view.checkGroups.join(','));
      for (const g of view.checkGroups) positions.add(g);
    }
    // Eight draws of three groups out of twelve: the same set every time has odds of 220^-7.
    expect(asked.size).toBeGreaterThan(1);
    expect(positions.size).toBeGreaterThan(3);
  });
});
