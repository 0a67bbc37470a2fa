import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../../../test/helpers/profiles';
import { waitUntil } from '../../../test/helpers/wait';

const lab = new Lab();
afterEach(async () => {
  await lab.cleanup();
});

// Discovery is bound to loopback here: tests never announce on the machine's real network
// (test/discovery/netns.test.ts is where discovery meets a network, in namespaces of its own).
describe('nearby peers through the messenger (mDNS on loopback)', () => {
  it('finds the other listening peer with its claimed name and pin, and marks it known once added', async () => {
    const alice = await lab.peer('Alice');
    const bob = await lab.peer('Bob');
    await alice.m.nearby.start('127.0.0.1');
    await bob.m.nearby.start('127.0.0.1');

    const seen = await waitUntil(
      () => alice.m.nearby.view().peers.find((p) => p.pin === bob.m.identity.pin),
      'Alice hears Bob advertise',
      { timeoutMs: 15_000 },
    );
    expect(seen.name).toBe('Bob');
    expect(seen.port).toBe(bob.m.network().port);
    expect(seen.known).toBe(false);
    expect(alice.m.nearby.view().peers.some((p) => p.pin === alice.m.identity.pin)).toBe(false);
    // Discovery only finds: nothing was trusted by it.
    expect(alice.m.contacts.list()).toEqual([]);

    alice.m.addContact({ address: `${seen.address}:${seen.port}`, pin: bob.m.identity.pin });
    expect(alice.m.nearby.view().peers.find((p) => p.pin === bob.m.identity.pin)?.known).toBe(true);
    expect(alice.m.nearby.view().interface).toBe('127.0.0.1');

    await alice.m.nearby.stop();
    expect(alice.m.nearby.view()).toMatchObject({ interface: null, peers: [] });
  });
});
