/**
 * Who gets in, across processes. A dialer refuses a listener whose key is not the pinned one
 * (PIN_MISMATCH, non-zero exit, not one byte of the message sent — with or without --accept-new);
 * a listener without --accept-new refuses an unknown dialer (UNTRUSTED_PEER) and `--trust PIN`
 * lets exactly that dialer in.
 */
import { describe, expect, it } from 'vitest';

import { type CliPeer, is, type Peers, startListener, usePeers } from '../helpers/cli-peer';

function dial(peers: Peers, name: string, profileDir: string, address: string, pin: string, extra: string[] = []): CliPeer {
  return peers.spawn(['connect', address, '--pin', pin, '--json', '--profile-dir', profileDir, '--name', name, ...extra], { label: name });
}

/** The pin of a profile, from `id --json` (creating the identity on first use). */
async function pinOf(peers: Peers, profileDir: string, name: string): Promise<{ pin: string; fingerprint: string }> {
  const id = peers.spawn(['id', '--json', '--profile-dir', profileDir, '--name', name], { label: `${name} (id)` });
  const record = await id.next(is.type('identity'), `${name}'s identity record`);
  expect(await id.waitExit()).toEqual({ code: 0, signal: null });
  return { pin: String(record.pin), fingerprint: String(record.fingerprint) };
}

/** Nothing of `text` reached `peer`: no message record, and no event (decrypted records included) contains it. */
function expectNeverSaw(peer: CliPeer, text: string): void {
  expect(peer.ofType('message').filter((m) => String(m.text).includes(text)), `message records on ${peer.label}`).toEqual([]);
  const leaks = peer.records.filter((r) => JSON.stringify(r).includes(text));
  expect(leaks.map((r) => (r.type === 'event' ? `event ${String(r.kind)}` : String(r.type))), `records on ${peer.label} containing the secret text`).toEqual([]);
  expect(peer.stdout.includes(text), `${peer.label}'s raw stdout contains the secret text`).toBe(false);
}

describe('trust across processes', () => {
  const peers = usePeers();

  it('a dialer refuses a listener with another key at the pinned address: PIN_MISMATCH, exit 1, nothing sent', async () => {
    // Alice listens just long enough for Bob to learn her address and pin, then leaves.
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new']);
    alice.peer.end();
    expect(await alice.peer.waitExit()).toEqual({ code: 0, signal: null });

    // Mallory, with her own key, takes Alice's address (and trusts anyone, to make the bait juicier).
    const mallory = await startListener(peers, peers.profile('mallory'), 'Alice', ['--accept-new', '--port', String(alice.ready.port)], { label: 'Mallory' });
    expect(mallory.address).toBe(alice.address);
    expect(mallory.pin).not.toBe(alice.pin);

    const bobDir = peers.profile('bob');
    for (const extra of [[], ['--accept-new']]) {
      const secret = `for Alice only ${extra.join(' ')} ${Math.random().toString(36).slice(2)}`;
      const bob = dial(peers, 'Bob', bobDir, alice.address, alice.pin, extra);
      bob.write(secret);
      const error = await bob.next(is.type('error'), 'Bob\'s "error" record');
      expect(error.code).toBe('PIN_MISMATCH');
      expect(String(error.message)).toMatch(/PIN MISMATCH/);
      const exit = await bob.waitExit('exit after the pin mismatch');
      expect(exit.code, 'Bob\'s exit code').not.toBe(0);
      expect(exit.code).not.toBeNull();

      const check = bob.events('trust.check');
      expect(check.map((e) => e.detail)).toEqual([expect.objectContaining({ role: 'dialer', verdict: 'mismatch', expected: alice.pin, presented: mallory.pin })]);
      expect(bob.ofType('connected')).toEqual([]);
      expect(bob.ofType('delivered')).toEqual([]);
      expect(bob.events('frame.out'), 'frames Bob sent').toEqual([]);
      expect(bob.events('tls.record').filter((e) => e.dir === 'out' && (e.detail as { contentType?: string }).contentType === 'application_data' && (e.detail as { decrypted?: { epoch?: string } }).decrypted?.epoch === 'application'), 'application-data records Bob sent').toEqual([]);
      expect(bob.nonJson).toEqual([]);

      // Mallory saw the connection end (Bob hung up: during her handshake or just after it) and nothing of the text.
      await mallory.peer.next(
        (r) => r.type === 'closed' || (r.type === 'event' && r.kind === 'tls.error'),
        `the end of Bob's connection at Mallory (Bob's run ${extra.join(' ') || 'without flags'})`,
      );
      expect(mallory.peer.ofType('message'), 'message records at Mallory').toEqual([]);
      expectNeverSaw(mallory.peer, secret);
    }
    mallory.peer.end();
    expect(await mallory.peer.waitExit()).toEqual({ code: 0, signal: null });
    expectNeverSaw(mallory.peer, 'for Alice only');
  }, 120_000);

  it('a listener without --accept-new refuses an unknown dialer with UNTRUSTED_PEER; the message is not delivered', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice');
    const secret = `knock knock ${Math.random().toString(36).slice(2)}`;
    const bob = dial(peers, 'Bob', peers.profile('bob'), alice.address, alice.pin);
    bob.write(secret);

    const closed = await alice.peer.next(is.type('closed'), 'Alice\'s "closed" record');
    expect(closed).toMatchObject({ by: 'local', code: 'UNTRUSTED_PEER' });
    // Bob is told nothing by Alice, but his peer knows what a close before her hello means.
    const bobClosed = await bob.next(is.type('closed'), 'Bob\'s "closed" record');
    expect(bobClosed).toMatchObject({ by: expect.stringMatching(/^(remote|error)$/), code: 'NOT_LET_IN' });
    expect(bob.ofType('connected')).toEqual([]);
    expect(bob.ofType('delivered')).toEqual([]);
    expect(alice.peer.ofType('connected')).toEqual([]);
    expect(alice.peer.ofType('message')).toEqual([]);
    expectNeverSaw(alice.peer, secret);
    // Bob would wait up to 10 s for an ack that cannot come: end it here.
    await bob.kill();
    alice.peer.end();
    expect(await alice.peer.waitExit()).toEqual({ code: 0, signal: null });
    expect(alice.peer.nonJson).toEqual([]);
  }, 90_000);

  it('--trust PIN lets exactly that dialer in', async () => {
    const bobDir = peers.profile('bob');
    const bobId = await pinOf(peers, bobDir, 'Bob');
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--trust', bobId.pin]);

    // Bob dials with Alice's human fingerprint (the form read aloud) instead of the wire pin.
    const fingerprint = String(alice.ready.fingerprint);
    const bob = dial(peers, 'Bob', bobDir, alice.address, fingerprint);
    bob.write('Bob, let in by pin');
    const received = await alice.peer.next(is.message('Bob, let in by pin'), 'Bob\'s message at Alice');
    expect(received.from).toBe('Bob');
    const queued = await bob.next(is.type('queued'), 'Bob\'s "queued" record');
    await bob.next(is.delivered(queued.id), 'Bob\'s "delivered" record');
    const aliceSide = await alice.peer.next(is.type('connected'), 'Alice\'s "connected" record');
    expect(aliceSide.peer).toEqual({ name: 'Bob', pin: bobId.pin });
    bob.end();
    expect(await bob.waitExit()).toEqual({ code: 0, signal: null });

    // Carol holds Alice's pin too, but Alice never pinned Carol's key.
    const carol = dial(peers, 'Carol', peers.profile('carol'), alice.address, alice.pin);
    carol.write('Carol tries too');
    const refused = await alice.peer.next((r) => r.type === 'closed' && r.code === 'UNTRUSTED_PEER', 'Alice refusing Carol');
    expect(refused.by).toBe('local');
    await carol.next(is.type('closed'), 'Carol\'s "closed" record');
    expect(carol.ofType('delivered')).toEqual([]);
    await carol.kill();
    expectNeverSaw(alice.peer, 'Carol tries too');

    alice.peer.end();
    expect(await alice.peer.waitExit()).toEqual({ code: 0, signal: null });
    expect(alice.peer.ofType('message').map((m) => m.text)).toEqual(['Bob, let in by pin']);
  }, 120_000);
});
