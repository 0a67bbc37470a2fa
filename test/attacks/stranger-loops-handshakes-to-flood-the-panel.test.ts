/**
 * Attack: drown the panel. Each connection leaves a trail of events (TCP accept, every TLS record,
 * the pin check, the refusal). A host that opens and drops connections in a loop, one at a time —
 * never more than one in handshake — pushes the real conversation out of the bounded event
 * history and the user's view, and costs a TLS handshake each time. New connections from one
 * source address are rate-limited: past the allowance they are closed at once, with no events of
 * their own, and counted in the one summary.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { waitUntil } from '../helpers/wait';
import { knock, rawTcpFrom, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger loops handshakes to flood the panel', () => {
  it('leaves a trail for the allowed connections only; the rest are closed at once and counted', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'refuse', limits: { acceptsPerAddressPerMinute: 4, refusalSummaryMs: 20 } });
    const mallory = await throwaway(lab, 'Mallory');
    for (let i = 0; i < 4; i += 1) {
      const client = await knock(alice.address, mallory, '127.0.0.2');
      await client.waitClosed(`the listener to refuse knock #${i}`);
    }
    const trail = alice.log.all.length;
    for (let i = 0; i < 6; i += 1) {
      const raw = await rawTcpFrom(alice.address, '127.0.0.2');
      await waitUntil(() => raw.closed(), `the listener to close connection #${i + 5} at once`);
    }
    const summary = await alice.log.waitFor('trust.throttled', (e) => e.detail.count === 6);
    expect(summary.detail.codes).toEqual({ TOO_MANY_CONNECTIONS: 6 });
    expect(alice.log.of('tcp.accept')).toHaveLength(4);
    expect(alice.log.all.slice(trail).filter((e) => e.kind !== 'trust.throttled').map((e) => e.kind)).toEqual([]);

    // Another address is not held back by this one's allowance.
    const other = await knock(alice.address, mallory, '127.0.0.3');
    await other.waitClosed();
    expect(alice.log.of('tcp.accept')).toHaveLength(5);
  });
});
