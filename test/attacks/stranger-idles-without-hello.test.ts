/**
 * Attack: take a seat and say nothing. A dialer the listener lets in (a contact, or anyone under
 * trust-on-first-use) that never sends its `hello` would keep its connection for as long as a
 * dialer may wait for a listener's user (minutes). The listener closes a newly accepted dialer
 * whose `hello` does not come within a short deadline.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger idles without a hello', () => {
  it('is closed by the listener’s hello deadline (HELLO_TIMEOUT)', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'accept', timeouts: { listenerHelloMs: 200 } });
    const client = await knock(alice.address, await throwaway(lab, 'Quiet'));
    const ready = await alice.log.waitFor('trust.decision');
    const closed = await alice.log.waitFor('conn.closed', (e) => e.conn === ready.conn);
    expect(closed.detail).toMatchObject({ code: 'HELLO_TIMEOUT', by: 'local' });
    await client.waitClosed();
    expect(alice.log.of('conn.ready')).toEqual([]);
  });

  it('a listener showing a pairing code closes a dialer that sends no first frame, and keeps the code', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'refuse', timeouts: { listenerHelloMs: 200 } });
    const code = alice.m.startPairing();
    const client = await knock(alice.address, await throwaway(lab, 'Quiet'));
    await client.waitClosed('the listener to close the silent dialer');
    const closed = await alice.log.waitFor('conn.closed');
    expect(closed.detail.code).toBe('HELLO_TIMEOUT');
    expect(alice.m.activePairingCode).toBe(code);
  });
});
