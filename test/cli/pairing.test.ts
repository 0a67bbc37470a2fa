/**
 * Pairing by code between two headless peers as processes: `listen --pair-code` and
 * `connect --pair-code`. The right code pins both keys and they chat; a wrong code ends with
 * PAIRING_FAILED on both sides and nothing pinned.
 */
import { describe, expect, it } from 'vitest';

import { is, startListener, usePeers } from '../helpers/cli-peer';

describe('pairing by code between two headless peers', () => {
  const peers = usePeers();

  it('pins both sides with the same code (typed differently) and then they chat', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--pair-code', 'abandon ability able']);
    const bob = peers.spawn(['connect', alice.address, '--pair-code', 'ABANDON  Ability-able', '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob'], { label: 'Bob' });

    const paired = await bob.next(is.type('paired'), 'Bob\'s "paired" record');
    expect(paired.pin).toBe(alice.pin);
    const atAlice = await alice.peer.next(is.type('paired'), 'Alice\'s "paired" record');
    const connected = await alice.peer.next(is.type('connected'), 'Alice sees Bob connected');
    expect((connected.peer as { pin: string }).pin).toBe(atAlice.pin);

    bob.write('no fingerprints were read');
    await alice.peer.next(is.message('no fingerprints were read'), 'the message at Alice');
    expect(bob.ofType('error')).toEqual([]);
  });

  it('fails on both sides with a wrong code, reports PAIRING_FAILED and exits non-zero', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--pair-code', 'abandon ability able']);
    const bob = peers.spawn(['connect', alice.address, '--pair-code', 'abandon ability about', '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob'], { label: 'Bob' });
    const failed = await bob.next((r) => r.type === 'error' && r.code === 'PAIRING_FAILED', 'Bob reports PAIRING_FAILED');
    expect(String(failed.message)).toMatch(/pair/i);
    await alice.peer.next((r) => r.type === 'error' && r.code === 'PAIRING_FAILED', 'Alice reports PAIRING_FAILED');
    const exit = await bob.waitExit('Bob exits after the failed pairing');
    expect(exit.code).not.toBe(0);
    // One failure, one record: the dialer once printed a second PAIRING_FAILED in other words.
    expect(bob.ofType('error').filter((r) => r.code === 'PAIRING_FAILED')).toHaveLength(1);
    expect(alice.peer.ofType('paired')).toEqual([]);
    expect(bob.ofType('paired')).toEqual([]);
  });
});
