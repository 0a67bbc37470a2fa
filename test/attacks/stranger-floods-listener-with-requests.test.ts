/**
 * Attack: flood the listener with requests. A LAN host loops handshakes with throwaway keys; in
 * "ask" mode each one becomes a held request with an open socket, until file descriptors and
 * memory run out and real peers are starved — and the user drowns in cards. Held requests are
 * capped per source address and in all; past a cap the newcomer is refused (never a contact),
 * and the user gets one summary with a count instead of a card each.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import type { LineClient } from '../helpers/raw-client';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger floods the listener with requests', () => {
  it('gets at most the caps of held requests; a known contact still gets in; one summary counts the rest', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask', limits: { maxRequests: 3, maxRequestsPerAddress: 2, refusalSummaryMs: 20 } });
    const bob = await lab.peer('Bob', { listen: false });
    alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    bob.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' });

    const knocks: LineClient[] = [];
    for (const from of ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2']) {
      const client = await knock(alice.address, await throwaway(lab, 'Stranger'), from);
      client.send(hello('Stranger'));
      knocks.push(client);
    }
    // Two held from 127.0.0.1 (its cap), one from 127.0.0.2 (the global cap); three refused.
    const summary = await alice.log.waitFor('trust.throttled', (e) => e.detail.count === 3, { what: 'a summary counting three refusals' });
    expect(summary.detail.codes).toEqual({ TOO_MANY_REQUESTS: 3 });
    expect(summary.summary).toMatch(/^3 unknown connections refused in the last minute/);
    expect(alice.m.requests()).toHaveLength(3);
    expect(alice.log.of('trust.pending')).toHaveLength(3);
    expect(alice.m.requests().filter((r) => r.remoteAddress.startsWith('127.0.0.1:'))).toHaveLength(2);
    for (const i of [2, 3, 5]) await knocks[i]!.waitClosed(`the listener to close refused knock #${i}`);
    expect(knocks.filter((k) => k.closed)).toHaveLength(3);

    // While the caps are full, Alice's contact is let in as always.
    const aliceAtBob = bob.m.contacts.list()[0]!;
    bob.m.send(aliceAtBob.id, 'still me');
    await alice.log.waitFor('message.received');
    expect(alice.m.requests()).toHaveLength(3);
    for (const k of knocks) k.destroy();
  });
});
