/**
 * kill -9 of the receiver in the middle of a 10,000-message burst, sent as fast as `send()` takes
 * it: all 10,000 lines go to the sender's stdin in one write. The burst crosses a relay that lets
 * its first part through and then holds the rest on the wire, so the kill lands mid-burst on any
 * machine (group commit stores a whole burst faster than a test can react to a printed line).
 * Once the receiver has shown a message and the relay holds the rest, the relay passes one more
 * chunk and the receiver is SIGKILLed at once, while it reads and commits that chunk. It comes
 * back on the same port and profile. Every message must be stored exactly once, in order —
 * counted with `history` on the receiver's profile — and acknowledged at the sender.
 */
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { type CliPeer, is, sleep, usePeers } from '../helpers/cli-peer';
import { crash, duplicates, freePort, listenOn, messageRecords, RECONNECT_WAIT_MS, storedMessages } from '../helpers/durability-peers';
import { Relay } from '../helpers/durability-relay';
import { waitUntil } from '../helpers/wait';

const TOTAL = 10_000;
/** Bytes of the burst let through before the relay holds the rest (about a fifth of it). */
const FIRST_PART = 256 * 1024;
/** What the relay lets through as the kill is sent: the receiver dies while it takes this in. */
const LAST_CHUNK = 64 * 1024;

/**
 * Wait until `peer` has printed `n` distinct records of `type`. Polled (one count per poll), not a
 * `next()` predicate: with tens of thousands of records a per-record recount would be quadratic.
 */
async function atLeast(peer: CliPeer, type: string, n: number, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = new Set(peer.ofType(type).map((r) => r.id)).size;
    if (count >= n) return;
    if (peer.exitStatus) throw new Error(`${peer.label} exited before ${what} (${count} of ${n} "${type}").\n${peer.describe()}`);
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (${count} of ${n} "${type}").\n${peer.describe()}`);
    await sleep(250);
  }
}

describe('kill -9 of the receiver in the middle of a 10,000-message burst', () => {
  const peers = usePeers();

  it('stores all 10,000 exactly once and in order after the receiver restarts', async () => {
    const tag = randomUUID().slice(0, 8);
    const lines = Array.from({ length: TOTAL }, (_, i) => `burst ${String(i).padStart(5, '0')} ${tag}`);
    const bobDir = peers.profile('bob');
    const aliceDir = peers.profile('alice');
    const port = await freePort();

    const bob1 = await listenOn(peers, { profileDir: bobDir, name: 'Bob', port, label: 'bob (first run)' });
    const relay = new Relay({ host: '127.0.0.1', port });
    await relay.start();
    const alice = peers.spawn(['connect', relay.address, '--pin', bob1.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'], { label: 'alice' });
    await alice.next(is.type('connected'), 'the sender\'s "connected" record');

    relay.holdAfter(FIRST_PART);
    alice.write(lines.join('\n'));
    await bob1.peer.next(is.type('message'), 'the receiver showing the first message of the burst', 300_000);
    await waitUntil(() => relay.held > 0, 'the relay holding the rest of the burst', { timeoutMs: 300_000 });
    relay.release(LAST_CHUNK);
    await crash(bob1.peer);
    relay.discardHeld(); // bytes for the dead connection; the sender resends what was not acked
    const run1 = messageRecords(bob1.peer);
    const storedAtKill = storedMessages(bobDir).length;
    expect(storedAtKill, 'the kill came in the middle of the burst: some, not all, were stored').toBeGreaterThanOrEqual(1);
    expect(storedAtKill, 'the kill came in the middle of the burst: some, not all, were stored').toBeLessThan(TOTAL);

    const bob2 = await listenOn(peers, { profileDir: bobDir, name: 'Bob', port, label: 'bob (restarted)' });
    await atLeast(alice, 'delivered', TOTAL, 'every message acknowledged', RECONNECT_WAIT_MS + 300_000);
    alice.end();
    await relay.cut();
    expect(await alice.waitExit('exit after the end of its stdin', 60_000)).toEqual({ code: 0, signal: null });
    bob2.peer.end();
    expect(await bob2.peer.waitExit('exit after the end of its stdin', 60_000)).toEqual({ code: 0, signal: null });

    const queued = alice.ofType('queued').map((r) => String(r.id));
    expect(queued).toHaveLength(TOTAL);
    expect(duplicates(queued)).toEqual([]);
    const delivered = alice.ofType('delivered').map((r) => String(r.id));
    expect(duplicates(delivered), 'ids reported "delivered" twice').toEqual([]);
    expect(new Set(delivered)).toEqual(new Set(queued));

    const shown = [...run1, ...messageRecords(bob2.peer)];
    console.info(`[kill-receiver-burst] ${storedAtKill} stored and ${run1.length} shown before the kill, ${shown.length - run1.length} shown after; ${TOTAL - shown.length} committed but not shown`);
    expect(duplicates(shown.map((m) => m.id)), 'ids shown twice').toEqual([]);

    // What the receiver stored, through `history`: every line once, in the order written.
    const stored = storedMessages(bobDir);
    expect(stored.filter((m) => m.problem)).toEqual([]);
    expect(stored.length).toBe(TOTAL);
    expect(stored.map((m) => m.text)).toEqual(lines);
    expect(stored.map((m) => m.id)).toEqual(queued);
    const atAlice = storedMessages(aliceDir);
    expect(atAlice.filter((m) => m.state !== 'delivered')).toEqual([]);
    expect(atAlice).toHaveLength(TOTAL);
  }, 900_000);
});
