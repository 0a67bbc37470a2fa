/**
 * Attack: become the target of the user's typing. `listen --accept-new` pins every new key; if
 * stdin lines went to whoever connected last, a LAN host connecting after the real peer would
 * receive the user's next line. Lines go to the first peer of the session (or the one named with
 * `--to`), and the output says, for every peer that connects, whether it is the target.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { is, startListener, usePeers } from '../helpers/cli-peer';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('a LAN host steals the lines typed into listen --accept-new', () => {
  const peers = usePeers();

  it('gets none of them: they go to the first peer, and the output says who the target is', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new']);
    const bob = await lab.peer('Bob', { listen: false });
    const mallory = await lab.peer('Mallory', { listen: false });
    bob.m.want(bob.m.addContact({ address: alice.address, pin: alice.pin, name: 'Alice' }).id);
    const bobSide = await alice.peer.next(is.type('connected'), 'Bob connected');
    expect(bobSide).toMatchObject({ peer: { name: 'Bob', pin: bob.m.identity.pin }, target: true });
    const target = await alice.peer.next(is.type('target'), 'the target record');
    expect(target).toMatchObject({ name: 'Bob', pin: bob.m.identity.pin });

    mallory.m.want(mallory.m.addContact({ address: alice.address, pin: alice.pin, name: 'Alice' }).id);
    const mallorySide = await alice.peer.next(is.type('connected'), 'Mallory connected');
    expect(mallorySide).toMatchObject({ peer: { name: 'Mallory', pin: mallory.m.identity.pin }, target: false });

    alice.peer.write('for Bob, typed after Mallory connected');
    const queued = await alice.peer.next(is.type('queued'), 'the line queued');
    expect(queued.to).toBe(target.contactId);
    await bob.log.waitFor('message.received');
    await alice.peer.next(is.delivered(queued.id), 'the line delivered');
    expect(mallory.log.of('message.received')).toEqual([]);
    alice.peer.end();
    expect(await alice.peer.waitExit()).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('with --to PIN, lines go to that key even when another connects first', async () => {
    const bob = await lab.peer('Bob', { listen: false });
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new', '--to', bob.m.identity.pin]);
    const mallory = await lab.peer('Mallory', { listen: false });
    mallory.m.want(mallory.m.addContact({ address: alice.address, pin: alice.pin, name: 'Alice' }).id);
    expect(await alice.peer.next(is.type('connected'), 'Mallory connected')).toMatchObject({ target: false });
    alice.peer.write('for Bob only');
    bob.m.want(bob.m.addContact({ address: alice.address, pin: alice.pin, name: 'Alice' }).id);
    expect(await alice.peer.next(is.type('connected'), 'Bob connected')).toMatchObject({ peer: { pin: bob.m.identity.pin }, target: true });
    await bob.log.waitFor('message.received');
    expect(mallory.log.of('message.received')).toEqual([]);
    alice.peer.end();
    expect(await alice.peer.waitExit()).toEqual({ code: 0, signal: null });
  }, 90_000);
});
