/**
 * Two hosts in two network namespaces joined by a veth link: the listener in one, the dialer in
 * the other. The link is taken down while messages are written and brought back up: everything
 * is delivered after the link is back, exactly once and in order. Skipped, with the reason
 * printed, where namespaces cannot be made (not root, no `ip netns`).
 */
import { randomInt, randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { is, sleep, TSX_PEER, usePeers } from '../helpers/cli-peer';
import { netnsUnavailable, VethPair } from '../helpers/durability-netns';
import { allDelivered, duplicates, listenOn, messageRecords, RECONNECT_WAIT_MS, storedMessages } from '../helpers/durability-peers';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`[netns-link] skipped: network namespaces are not available here (${unavailable})`);

describe.skipIf(unavailable !== null)('a real link taken down and up between two network namespaces', () => {
  const peers = usePeers();
  const veth = new VethPair(randomInt(1, 255));

  beforeAll(() => veth.create());
  afterAll(() => veth.destroy());

  it('delivers every message written while the link was down, after it is back', async () => {
    const tag = randomUUID().slice(0, 8);
    const bobDir = peers.profile('bob');
    const aliceDir = peers.profile('alice');
    const bob = await listenOn(peers, { profileDir: bobDir, name: 'Bob', host: veth.a.address, port: 47474, label: 'bob (namespace A)', command: veth.prefix('a', TSX_PEER) });
    const alice = peers.spawn(['connect', bob.address, '--pin', bob.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'], {
      label: 'alice (namespace B)',
      command: veth.prefix('b', TSX_PEER),
    });
    await alice.next(is.type('connected'), 'Alice connected over the veth link');
    await bob.peer.next(is.type('connected'), 'Bob connected over the veth link');

    const before = [1, 2].map((i) => `over the link ${i} ${tag}`);
    for (const line of before) alice.write(line);
    const ids: string[] = [];
    for (const [i] of before.entries()) ids.push(String((await alice.next(is.type('queued'), `before #${i + 1} queued`)).id));
    await allDelivered(alice, ids, 'deliveries while the link is up', 30_000);

    veth.link('down');
    const during = [1, 2, 3, 4, 5].map((i) => `while the link is down ${i} ${tag}`);
    try {
      for (const line of during) alice.write(line);
      for (const [i] of during.entries()) ids.push(String((await alice.next(is.type('queued'), `during #${i + 1} queued`)).id));
      await sleep(2_000); // keep the link down a while: the writes sit in TCP's retransmission queue
      expect(bob.peer.ofType('message').filter((m) => during.includes(String(m.text))), 'messages that crossed a link that was down').toEqual([]);
    } finally {
      veth.link('up');
    }

    await allDelivered(alice, ids, 'every message delivered after the link is back', RECONNECT_WAIT_MS);
    const reply = `reply over the link ${tag}`;
    bob.peer.write(reply);
    await alice.next(is.message(reply), 'the reply at Alice', 60_000);

    alice.end();
    expect(await alice.waitExit('exit after the end of its stdin', 60_000)).toEqual({ code: 0, signal: null });
    bob.peer.end();
    expect(await bob.peer.waitExit('exit after the end of its stdin', 60_000)).toEqual({ code: 0, signal: null });

    const written = [...before, ...during];
    const shown = messageRecords(bob.peer);
    expect(duplicates(shown.map((m) => m.id))).toEqual([]);
    expect(shown.map((m) => m.text)).toEqual(written);
    expect(storedMessages(bobDir).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(written);
  }, 300_000);

  it('after an outage longer than the idle timeout (the connection dies silently), redials and delivers everything', async () => {
    const tag = randomUUID().slice(0, 8);
    const bobDir = peers.profile('bob');
    const aliceDir = peers.profile('alice');
    const bob = await listenOn(peers, { profileDir: bobDir, name: 'Bob', host: veth.a.address, port: 47475, label: 'bob (namespace A)', command: veth.prefix('a', TSX_PEER) });
    const alice = peers.spawn(['connect', bob.address, '--pin', bob.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'], {
      label: 'alice (namespace B)',
      command: veth.prefix('b', TSX_PEER),
    });
    await alice.next(is.type('connected'), 'Alice connected over the veth link');

    veth.link('down');
    const during = [1, 2, 3].map((i) => `through a long outage ${i} ${tag}`);
    const ids: string[] = [];
    try {
      for (const line of during) alice.write(line);
      for (const [i] of during.entries()) ids.push(String((await alice.next(is.type('queued'), `during #${i + 1} queued`)).id));
      // No packet crosses, no FIN, no RST: only the application's own keepalive can notice.
      const closed = await alice.next(is.type('closed'), "Alice's session giving up on the silent link", 120_000);
      const tlsErrors = alice.events('tls.error').map((e) => JSON.stringify(e.detail));
      expect(closed.code, `why Alice's connection closed: ${JSON.stringify(closed)}; TLS errors: ${tlsErrors.join(', ') || 'none'}`).toBe('TIMEOUT');
      expect(bob.peer.ofType('message'), 'messages that crossed a link that was down').toEqual([]);
    } finally {
      veth.link('up');
    }
    await allDelivered(alice, ids, 'every message delivered after the link is back', RECONNECT_WAIT_MS);
    expect(alice.ofType('connected').length, 'connections Alice made').toBeGreaterThanOrEqual(2);

    alice.end();
    expect(await alice.waitExit('exit after the end of its stdin', 60_000)).toEqual({ code: 0, signal: null });
    bob.peer.end();
    expect(await bob.peer.waitExit('exit after the end of its stdin', 60_000)).toEqual({ code: 0, signal: null });
    const shown = messageRecords(bob.peer);
    expect(duplicates(shown.map((m) => m.id))).toEqual([]);
    expect(shown.map((m) => m.text)).toEqual(during);
  }, 400_000);
});
