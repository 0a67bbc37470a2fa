/**
 * A connection that is up must stay up while nobody writes: the handshake deadline guards the
 * handshake only. Two engines in this process, with a short handshake timeout so the check is
 * quick; the wait is a fixed quiet period, and what is checked is that nothing closed in it.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { sleep } from '../helpers/cli-peer';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

const HANDSHAKE_MS = 1_000;
const QUIET_MS = 3 * HANDSHAKE_MS;

describe('an established connection', () => {
  it('outlives the handshake timeout on both sides while idle, and still carries messages after it', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', timeouts: { handshakeMs: HANDSHAKE_MS } });
    const alice = await lab.peer('Alice', { listen: false, timeouts: { handshakeMs: HANDSHAKE_MS } });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    await alice.m.connect(contact.id);
    await alice.log.waitFor('conn.ready', () => true, { what: "Alice's conn.ready" });
    await bob.log.waitFor('conn.ready', () => true, { what: "Bob's conn.ready" });

    await sleep(QUIET_MS);
    const closes = [...alice.log.of('conn.closed'), ...bob.log.of('conn.closed')].map((e) => `${e.conn}: ${e.summary}`);
    const tlsErrors = [...alice.log.of('tls.error'), ...bob.log.of('tls.error')].map((e) => `${e.conn}: ${e.summary}`);
    expect(tlsErrors, 'TLS errors on an idle, established connection').toEqual([]);
    expect(closes, `connections closed during ${QUIET_MS} ms of quiet`).toEqual([]);
    expect(alice.m.connectionState(contact.id)).toBe('ready');

    const msg = alice.m.send(contact.id, 'still here');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id, { what: 'the delivery after the quiet period' });
    expect(alice.log.of('tcp.connect'), 'TCP connections Alice opened').toHaveLength(1);
  }, 30_000);
});
