/**
 * End of input never pretends all went well: a dialer whose messages were not acknowledged says
 * so (UNDELIVERED, exit 1; they stay in its outbox), and a listener that nobody reached reports
 * the lines it could not send (NOT_CONNECTED, exit 1).
 */
import { describe, expect, it } from 'vitest';

import { is, startListener, usePeers } from '../helpers/cli-peer';

describe('the end of input', () => {
  const peers = usePeers();

  it('a refused dialer reports UNDELIVERED and exits 1 instead of 0', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice'); // no --accept-new: Bob is refused
    const bob = peers.spawn(['connect', alice.address, '--pin', alice.pin, '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob'], { label: 'Bob' });
    bob.write('this will not be accepted');
    await bob.next(is.type('queued'), "Bob's queued record");
    await alice.peer.next((r) => r.type === 'closed' && r.code === 'UNTRUSTED_PEER', 'Alice refuses Bob');
    bob.end();
    const undelivered = await bob.next((r) => r.type === 'error' && r.code === 'UNDELIVERED', "Bob's UNDELIVERED report", 40_000);
    expect(String(undelivered.message)).toMatch(/outbox/);
    expect((await bob.waitExit('Bob exits', 40_000)).code).toBe(1);
    expect(alice.peer.ofType('message')).toEqual([]);
  }, 90_000);

  it('a listener nobody reached reports the lines it could not send and exits 1', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new']);
    alice.peer.write('anyone there?');
    alice.peer.end();
    const notSent = await alice.peer.next((r) => r.type === 'error' && r.code === 'NOT_CONNECTED', 'the NOT_CONNECTED report');
    expect(String(notSent.message)).toMatch(/1 line/);
    expect((await alice.peer.waitExit('Alice exits')).code).toBe(1);
  });
});
