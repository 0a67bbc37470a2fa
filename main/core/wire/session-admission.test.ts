/**
 * A listener that refuses a dialer closes without a word (PROTOCOL.md §2); the dialer's session
 * names what a close before the listener's hello means (NOT_LET_IN), and only that: a close after
 * the hello is an ordinary close. Real engines over loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../../../test/helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

const NO_RETRY = { retryInitialMs: 60_000, retryMaxMs: 60_000 };

describe('a dialer that was not let in', () => {
  it('reports NOT_LET_IN when the listener refuses its key, while the listener says UNTRUSTED_PEER', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice = await lab.peer('Alice', { listen: false, timeouts: NO_RETRY });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.connect(contact.id).catch(() => undefined);
    const refused = await bob.log.waitFor('conn.closed');
    expect(refused.detail).toMatchObject({ by: 'local', code: 'UNTRUSTED_PEER' });
    const closed = await alice.log.waitFor('conn.closed');
    expect(closed.detail.code).toBe('NOT_LET_IN');
    expect(alice.log.of('conn.ready')).toEqual([]);
  });

  it('reports an ordinary close, not NOT_LET_IN, when the listener goes away after its hello', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false, timeouts: NO_RETRY });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    await alice.m.connect(contact.id);
    await alice.log.waitFor('conn.ready');
    await lab.close(bob.m);
    const closed = await alice.log.waitFor('conn.closed');
    expect(closed.detail.by).toBe('remote');
    expect(closed.detail.code).not.toBe('NOT_LET_IN');
  });
});
