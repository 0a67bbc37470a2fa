/**
 * Attack: be trusted on first use after the first use. Setting up two machines, a person wants
 * the one peer they are pairing with trusted — not every key that knocks during the session.
 * `listen --accept-first` trusts the first new key and refuses every other unknown one.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { is, startListener, usePeers } from '../helpers/cli-peer';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a LAN host tries to get in after the first peer (listen --accept-first)', () => {
  const peers = usePeers();

  it('is refused with UNTRUSTED_PEER; the first peer stays trusted and reconnects', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-first']);
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { listen: false });
    const bobAlice = bob.m.addContact({ address: alice.address, pin: alice.pin, name: 'Alice' });
    bob.m.want(bobAlice.id);
    await alice.peer.next(is.type('connected'), 'Bob connected');

    mallory.m.want(mallory.m.addContact({ address: alice.address, pin: alice.pin, name: 'Alice' }).id);
    const refused = await alice.peer.next((r) => r.type === 'closed' && r.code === 'UNTRUSTED_PEER', 'Alice refusing Mallory');
    expect(refused.by).toBe('local');
    expect(alice.peer.events('trust.decision').map((e) => (e.detail as { pin: string }).pin)).toEqual([bob.m.identity.pin]);

    // Bob is a contact now, not a "first use": he gets back in after a reconnect.
    bob.m.disconnect(bobAlice.id, 'testing a reconnect');
    await bob.log.waitFor('conn.closed');
    await bob.m.connect(bobAlice.id);
    await alice.peer.next(is.type('connected'), 'Bob connected again');
    alice.peer.end();
    expect(await alice.peer.waitExit()).toEqual({ code: 0, signal: null });
  }, 90_000);
});
