/**
 * Two headless peers as separate processes, each with its own profile: a listener that trusts on
 * first use and a dialer that holds the listener's pin. Lines written to one side's stdin arrive
 * as `message` records on the other side, each acknowledged by a `delivered` record, and both
 * processes exit 0 after the end of their stdin.
 */
import { describe, expect, it } from 'vitest';

import { type CliPeer, type CliRecord, is, startListener, usePeers } from '../helpers/cli-peer';
import { waitUntil } from '../helpers/wait';

/** What a chat line becomes inside the JSON frame (and so inside the decrypted TLS record). */
const inFrame = (text: string) => JSON.stringify(text).slice(1, -1);

/** Each line goes out, is received with the same text and id, and is acknowledged. */
async function expectDelivered(from: CliPeer, to: CliPeer, lines: string[]): Promise<void> {
  const queued: CliRecord[] = [];
  for (let i = 0; i < lines.length; i += 1) queued.push(await from.next(is.type('queued'), `"queued" record #${i + 1}`));
  for (const [i, line] of lines.entries()) {
    const received = await to.next(is.message(line), `the message ${JSON.stringify(line)}`);
    expect(received.id, `id of message #${i + 1}`).toBe(queued[i]!.id);
    await from.next(is.delivered(queued[i]!.id), `"delivered" for message #${i + 1}`);
    // The receiver's record observer opened the very record that carried the text (a turn after
    // its bytes passed: its line may come after the message's, its seq comes before).
    // One record may carry several lines: look, without taking it from the next lines' checks.
    const carried = () => to.events('tls.record').some((e) => {
      const plaintext = (e.detail as { decrypted?: { plaintext?: string } }).decrypted?.plaintext;
      return e.dir === 'in' && plaintext?.includes(inFrame(line));
    });
    await waitUntil(carried, `a decrypted incoming record carrying ${JSON.stringify(line)}`);
  }
  // Exactly once each, even though nothing was resent.
  for (const line of lines) expect(to.ofType('message').filter((m) => m.text === line)).toHaveLength(1);
}

function expectCleanJson(peer: CliPeer): void {
  expect(peer.nonJson, `non-JSON lines on ${peer.label}'s stdout`).toEqual([]);
  expect(peer.ofType('error'), `error records from ${peer.label}`).toEqual([]);
}

describe('two headless peers in two processes', () => {
  const peers = usePeers();

  it('chat both ways with an ack for every message, and both exit 0 at the end of stdin', async () => {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new']);
    const bob = peers.spawn(['connect', alice.address, '--pin', alice.pin, '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob'], { label: 'Bob' });

    // Written before the connection exists: queued, then sent once both sides said hello.
    const fromBob = ['hello from Bob', 'unicode: héllo ✓ — 你好 🙂', '  leading spaces, "quotes", {"type":"bye"} and a \\ backslash'];
    for (const line of fromBob) bob.write(line);

    const bobSide = await bob.next(is.type('connected'), 'Bob\'s "connected" record');
    expect(bobSide.peer).toEqual({ name: 'Alice', pin: alice.pin });
    const aliceSide = await alice.peer.next(is.type('connected'), 'Alice\'s "connected" record');
    const bobSecure = await bob.next(is.event('tls.secure'), 'Bob\'s tls.secure event');
    const bobPin = (bobSecure.detail as { localCertificate: { pin: string } }).localCertificate.pin;
    expect(aliceSide.peer).toEqual({ name: 'Bob', pin: bobPin });

    await expectDelivered(bob, alice.peer, fromBob);

    const fromAlice = ['hi Bob, Alice here', 'a second line from Alice', 'x'.repeat(2_000)];
    for (const line of fromAlice) alice.peer.write(line);
    await expectDelivered(alice.peer, bob, fromAlice);

    expect(alice.peer.ofType('message').map((m) => m.from)).toEqual(fromBob.map(() => 'Bob'));
    expect(bob.ofType('message').map((m) => m.from)).toEqual(fromAlice.map(() => 'Alice'));

    bob.end();
    expect(await bob.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });
    await alice.peer.next((r) => r.type === 'closed' && r.by === 'remote', 'Alice\'s "closed" record (Bob said bye)');
    alice.peer.end();
    expect(await alice.peer.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });

    expectCleanJson(alice.peer);
    expectCleanJson(bob);
  }, 90_000);
});
