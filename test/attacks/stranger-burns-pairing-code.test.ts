/**
 * Attack: burn the pairing code. A code is good for one attempt, so whoever reaches the listener
 * first while a code shows could use it up — by just connecting, by sending a `hello`, or junk —
 * and the person the code was meant for fails. Only a dialer whose first frame is a valid `pair`
 * frame may consume the code (PROTOCOL.md §6.2); anyone else is an ordinary unknown dialer.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger burns the pairing code', () => {
  it('cannot use the code up with a hello, junk or a malformed pair frame; the real peer then pairs', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'refuse' });
    const code = alice.m.startPairing();
    const firstFrames: (object | string)[] = [hello('Bob'), 'not json at all\n', { type: 'pair', v: 1, y: 'too-short' }, { type: 'pair-confirm', tag: 'x' }];
    for (const first of firstFrames) {
      const client = await knock(alice.address, await throwaway(lab, 'Mallory'));
      client.send(first);
      await client.waitClosed(`the listener to refuse a dialer whose first frame is ${JSON.stringify(first)}`);
      expect(alice.m.activePairingCode, `the code after a first frame ${JSON.stringify(first)}`).toBe(code);
    }
    expect(alice.log.of('trust.pairing')).toEqual([]);
    expect(alice.log.of('conn.closed').map((e) => e.detail.code)).toEqual(firstFrames.map(() => 'UNTRUSTED_PEER'));

    const bob = await lab.peer('Bob', { listen: false });
    const contact = await bob.m.pairWith(alice.address, code);
    expect(contact.pin).toBe(alice.m.identity.pin);
    expect(alice.m.contacts.byPin(bob.m.identity.pin)?.verified).toBe(true);
  });
});
