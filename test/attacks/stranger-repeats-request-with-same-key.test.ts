/**
 * Attack: one key, many requests. The same stranger knocks again and again with one key; each
 * knock would be another held socket and another card. Requests are de-duplicated by pin: the
 * newest connection takes over the one request, the older one is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a stranger repeats a request with the same key', () => {
  it('keeps one request, on the newest connection', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const stranger = await throwaway(lab, 'Stranger');
    const first = await knock(alice.address, stranger);
    first.send(hello('Stranger'));
    const pending = await alice.log.waitFor('trust.pending');
    const second = await knock(alice.address, stranger);
    second.send(hello('Stranger'));
    const third = await knock(alice.address, stranger);
    third.send(hello('Stranger'));
    await first.waitClosed('the first connection to be replaced');
    await second.waitClosed('the second connection to be replaced');
    expect(alice.m.requests()).toHaveLength(1);
    expect(alice.m.requests()[0]!.id).toBe(pending.detail.requestId);
    expect(alice.log.of('trust.pending')).toHaveLength(1);

    alice.m.decide(pending.detail.requestId, 'trust');
    await third.next((f) => f.type === 'hello', 'Alice’s hello on the newest connection');
    expect(third.closed).toBe(false);
    third.destroy();
  });
});
