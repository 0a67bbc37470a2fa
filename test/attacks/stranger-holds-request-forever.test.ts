/**
 * Attack: hold a request forever. A held request keeps its socket open while the user decides;
 * a stranger who knocks and never leaves would keep it (and its card) for good. A held request
 * expires: the socket is closed and the request is gone, with its own code.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger holds a request forever', () => {
  it('is dropped when the request expires; the request is gone and the decision comes too late', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask', timeouts: { requestMs: 300 } });
    const client = await knock(alice.address, await throwaway(lab, 'Stranger'));
    client.send(hello('Stranger'));
    const pending = await alice.log.waitFor('trust.pending');
    const closed = await alice.log.waitFor('conn.closed', (e) => e.conn === pending.conn);
    expect(closed.detail).toMatchObject({ code: 'REQUEST_EXPIRED', by: 'local' });
    await client.waitClosed();
    expect(alice.m.requests()).toEqual([]);
    expect(() => alice.m.decide(pending.detail.requestId, 'trust')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(alice.m.contacts.list()).toEqual([]);
  });
});
