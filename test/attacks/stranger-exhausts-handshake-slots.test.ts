/**
 * Attack: exhaust the listener with half-open handshakes. Each accepted TCP connection costs a
 * socket and a TLS state until its handshake deadline; a host that opens them faster than they
 * expire starves everyone. Connections in handshake are capped per source address and in all;
 * past a cap the newcomer is closed at once, with no events of its own, and counted in a summary.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { waitUntil } from '../helpers/wait';
import { rawTcpFrom } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger exhausts the handshake slots', () => {
  it('gets at most the caps; the newcomer is closed at once, a contact from another address gets in', async () => {
    const alice = await lab.peer('Alice', {
      unknownPeers: 'refuse',
      timeouts: { handshakeMs: 60_000 },
      limits: { maxHandshakes: 4, maxHandshakesPerAddress: 2, refusalSummaryMs: 20 },
    });
    const bob = await lab.peer('Bob', { listen: false });
    alice.m.addContact({ address: '127.0.0.1:9', pin: bob.m.identity.pin, name: 'Bob' });
    const aliceAtBob = bob.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' });

    const fromTwo = [await rawTcpFrom(alice.address, '127.0.0.2'), await rawTcpFrom(alice.address, '127.0.0.2'), await rawTcpFrom(alice.address, '127.0.0.2')];
    await waitUntil(() => fromTwo[2]!.closed(), 'the third silent connection from 127.0.0.2 to be closed at once');
    expect(fromTwo.slice(0, 2).map((c) => c.closed())).toEqual([false, false]);

    // Bob, from another address, is not held up by 127.0.0.2's stragglers.
    bob.m.send(aliceAtBob.id, 'through the crowd');
    await alice.log.waitFor('message.received');

    const fromThree = [await rawTcpFrom(alice.address, '127.0.0.3'), await rawTcpFrom(alice.address, '127.0.0.3')];
    const fromFour = await rawTcpFrom(alice.address, '127.0.0.4');
    await waitUntil(() => fromFour.closed(), 'the connection past the global cap to be closed at once');
    expect([...fromTwo.slice(0, 2), ...fromThree].map((c) => c.closed())).toEqual([false, false, false, false]);

    const summary = await alice.log.waitFor('trust.throttled', (e) => e.detail.count === 2);
    expect(summary.detail.codes).toEqual({ TOO_MANY_CONNECTIONS: 2 });
    // The refused ones left no trail of their own: only the four held ones (and Bob) were accepted.
    expect(alice.log.of('tcp.accept')).toHaveLength(5);
    for (const c of [...fromTwo, ...fromThree, fromFour]) c.socket.destroy();
  });
});
