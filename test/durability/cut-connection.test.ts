/**
 * A connection cut in the middle of a conversation: the dialer reaches the listener through a
 * TCP relay in the test process, which is destroyed while messages are in flight and while more
 * are written, then started again on the same port. The dialer redials with backoff; everything
 * written meanwhile is delivered after the reconnect, exactly once and in order.
 */
import { randomUUID } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { type CliPeer, is, startListener, usePeers } from '../helpers/cli-peer';
import { allDelivered, duplicates, messageRecords, RECONNECT_WAIT_MS, storedMessages } from '../helpers/durability-peers';
import { Relay } from '../helpers/durability-relay';

const relays: Relay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.cut();
});

async function queuedIds(peer: CliPeer, n: number, what: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push(String((await peer.next(is.type('queued'), `${what} #${i + 1} queued`)).id));
  return ids;
}

describe('a cut connection', () => {
  const peers = usePeers();

  for (const how of ['close', 'reset'] as const) {
    it(`delivers what was written while the path was down, after the reconnect (relay dropped with a ${how === 'reset' ? 'TCP reset' : 'plain close'})`, async () => {
      const tag = randomUUID().slice(0, 8);
      const bobDir = peers.profile('bob');
      const aliceDir = peers.profile('alice');
      const bob = await startListener(peers, bobDir, 'Bob', ['--accept-new']);
      const [host, port] = bob.address.split(':');
      const relay = new Relay({ host: host!, port: Number(port) });
      relays.push(relay);
      await relay.start();

      const alice = peers.spawn(['connect', relay.address, '--pin', bob.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'], { label: 'alice' });
      await alice.next(is.type('connected'), 'Alice connected through the relay');
      await bob.peer.next(is.type('connected'), 'Bob connected through the relay');

      const before = [1, 2, 3].map((i) => `before the cut ${i} ${tag}`);
      for (const line of before) alice.write(line);
      const beforeIds = await queuedIds(alice, before.length, 'before');
      await allDelivered(alice, beforeIds, 'deliveries before the cut', 30_000);

      // In flight: written, and the path cut at once (some may arrive, some not; acks may be lost).
      const inFlight = [1, 2, 3, 4, 5].map((i) => `in flight ${i} ${tag}`);
      for (const line of inFlight) alice.write(line);
      const inFlightIds = await queuedIds(alice, inFlight.length, 'in flight');
      await relay.cut(how);
      await alice.next(is.type('closed'), 'Alice noticing the cut', 30_000);

      // Written while the path is down: queued in the outbox.
      const during = [1, 2, 3, 4].map((i) => `while the path is down ${i} ${tag}`);
      for (const line of during) alice.write(line);
      const duringIds = await queuedIds(alice, during.length, 'during');
      expect(bob.peer.ofType('message').filter((m) => during.includes(String(m.text))), 'messages that crossed a cut path').toEqual([]);
      // The listener writes too: it cannot dial (it has no address for Alice), so its message waits for her.
      const fromBob = `from the listener while the path is down ${tag}`;
      bob.peer.write(fromBob);
      const fromBobId = String((await bob.peer.next(is.type('queued'), "Bob's message queued")).id);

      await relay.start(); // same port as before
      const all = [...beforeIds, ...inFlightIds, ...duringIds];
      await allDelivered(alice, all, 'every message delivered after the reconnect', RECONNECT_WAIT_MS);
      expect(relay.accepted, 'connections through the relay').toBeGreaterThanOrEqual(2);
      await allDelivered(bob.peer, [fromBobId], "Bob's message delivered after the reconnect", RECONNECT_WAIT_MS);
      await alice.next(is.message(fromBob), "Bob's message at Alice", 30_000);

      // The conversation goes on both ways over the new connection.
      const reply = `reply after the reconnect ${tag}`;
      bob.peer.write(reply);
      await alice.next(is.message(reply), 'the reply at Alice', 30_000);
      expect(messageRecords(alice).map((m) => m.text)).toEqual([fromBob, reply]);

      alice.end();
      expect(await alice.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });
      bob.peer.end();
      expect(await bob.peer.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });

      const written = [...before, ...inFlight, ...during];
      const shown = messageRecords(bob.peer);
      expect(duplicates(shown.map((m) => m.id)), 'messages shown twice').toEqual([]);
      expect(shown.map((m) => m.text)).toEqual(written);
      expect(shown.map((m) => m.id)).toEqual(all);
      const stored = storedMessages(bobDir).filter((m) => m.direction === 'in');
      expect(stored.map((m) => m.text)).toEqual(written);
      expect(storedMessages(aliceDir).filter((m) => m.direction === 'out' && m.state !== 'delivered')).toEqual([]);
    }, 300_000);
  }
});
