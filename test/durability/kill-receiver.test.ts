/**
 * kill -9 of the receiver in the middle of 1,000 messages. The listener runs on a fixed port, the
 * dialer writes 500 lines, the listener is SIGKILLed once it has shown 100 of them, the dialer
 * writes the other 500 while it is down, and the listener comes back on the same port and
 * profile. Every message must arrive exactly once and in order: counted over the `message`
 * records of both runs (a message committed just before the kill may never have been printed)
 * and over the receiver's store.
 */
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { type CliPeer, is, usePeers } from '../helpers/cli-peer';
import { crash, duplicates, freePort, listenOn, messageRecords, RECONNECT_WAIT_MS, storedMessages } from '../helpers/durability-peers';

const TOTAL = 1_000;

/** Wait until `peer` has printed at least `n` records of `type` (ids counted once). */
function atLeast(peer: CliPeer, type: string, n: number, what: string, timeoutMs: number) {
  const count = () => new Set(peer.ofType(type).map((r) => r.id)).size;
  return peer.next((r) => r.type === type && count() >= n, `${what} (${n} distinct "${type}" records; so far ${count()})`, timeoutMs);
}

describe('kill -9 of the receiver in the middle of 1,000 messages', () => {
  const peers = usePeers();

  it('delivers all 1,000 exactly once and in order after the receiver restarts on the same port', async () => {
    const tag = randomUUID().slice(0, 8);
    const lines = Array.from({ length: TOTAL }, (_, i) => `durable ${String(i).padStart(4, '0')} ${tag}`);
    const indexOf = (text: string) => {
      const i = lines.indexOf(text);
      if (i < 0) throw new Error(`a message that was never written: ${JSON.stringify(text)}`);
      return i;
    };
    const bobDir = peers.profile('bob');
    const aliceDir = peers.profile('alice');
    const port = await freePort();

    const bob1 = await listenOn(peers, { profileDir: bobDir, name: 'Bob', port, label: 'bob (first run)' });
    const alice = peers.spawn(['connect', bob1.address, '--pin', bob1.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'], { label: 'alice' });
    await alice.next(is.type('connected'), 'the sender\'s "connected" record');

    for (const line of lines.slice(0, TOTAL / 2)) alice.write(line);
    await atLeast(bob1.peer, 'message', 100, 'the receiver showing its first messages', 120_000);
    await crash(bob1.peer);
    const run1 = messageRecords(bob1.peer);
    await alice.next(is.type('closed'), 'the sender noticing the lost connection', 30_000);

    // Written while the receiver is down: stored in the sender's outbox.
    for (const line of lines.slice(TOTAL / 2)) alice.write(line);
    await atLeast(alice, 'queued', TOTAL, 'all lines queued at the sender', 120_000);

    const bob2 = await listenOn(peers, { profileDir: bobDir, name: 'Bob', port, label: 'bob (restarted)' });
    await atLeast(alice, 'delivered', TOTAL, 'every message acknowledged', RECONNECT_WAIT_MS + 120_000);

    alice.end();
    expect(await alice.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });
    bob2.peer.end();
    expect(await bob2.peer.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });

    // The sender: 1,000 distinct ids, in the order written, each delivered once.
    const queued = alice.ofType('queued').map((r) => String(r.id));
    expect(queued).toHaveLength(TOTAL);
    expect(duplicates(queued)).toEqual([]);
    const delivered = alice.ofType('delivered').map((r) => String(r.id));
    expect(duplicates(delivered), 'ids reported "delivered" twice').toEqual([]);
    expect(new Set(delivered)).toEqual(new Set(queued));

    // The receiver's records over both runs: no id twice, in the order written.
    const run2 = messageRecords(bob2.peer);
    const shown = [...run1, ...run2];
    console.info(`[kill-receiver] first run showed ${run1.length} messages before the kill, the second run ${run2.length}; ${TOTAL - shown.length} were committed but not shown`);
    expect(run1.length, 'messages shown before the kill').toBeGreaterThanOrEqual(100);
    expect(duplicates(shown.map((m) => m.id)), 'ids shown twice').toEqual([]);
    const order = shown.map((m) => indexOf(m.text));
    expect(order.every((n, i) => i === 0 || n > order[i - 1]!), `shown out of order: ${order.join(',').slice(0, 300)}`).toBe(true);
    for (const m of shown) expect(m.id, `id of ${m.text}`).toBe(queued[indexOf(m.text)]);

    // The receiver's store: all 1,000, each once, in order — so shown ∪ stored is everything, exactly once.
    const stored = storedMessages(bobDir);
    expect(stored.filter((m) => m.problem)).toEqual([]);
    expect(stored.map((m) => m.text)).toEqual(lines);
    expect(stored.map((m) => m.id)).toEqual(queued);
    expect(stored.every((m) => m.direction === 'in' && m.contactName === 'Alice')).toBe(true);
    const atAlice = storedMessages(aliceDir);
    expect(atAlice.filter((m) => m.state !== 'delivered').map((m) => m.text)).toEqual([]);
  }, 600_000);
});
