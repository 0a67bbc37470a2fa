/**
 * Attack: guess pairing codes in a loop. Each attempt is one guess at 2^-33, and a failure throws
 * the code away — but a listener that shows a new code right away would give a patient attacker
 * guess after guess. Failed attempts are rate-limited: past the allowance, no new code is given
 * out until the window has passed.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

const WRONG = ['abandon ability able', 'abandon ability about', 'abandon ability above'];

describe('a stranger guesses pairing codes in a loop', () => {
  it('is stopped after the allowed failures: no new code (PAIRING_RATE_LIMITED) until the window passes', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'refuse', limits: { pairingFailures: 2, pairingWindowMs: 600_000 } });
    const mallory = await lab.peer('Mallory', { listen: false });
    for (const [i, guess] of WRONG.slice(0, 2).entries()) {
      alice.m.startPairing();
      await expect(mallory.m.pairWith(alice.address, guess)).rejects.toMatchObject({ code: 'PAIRING_FAILED' });
      await alice.log.waitFor('trust.pairing', (e) => e.detail.phase === 'failed', { count: i + 1 });
    }
    expect(() => alice.m.startPairing()).toThrow(expect.objectContaining({ code: 'PAIRING_RATE_LIMITED' }));
    expect(alice.m.activePairingCode).toBeNull();
    expect(alice.m.contacts.list()).toEqual([]);
  });
});
