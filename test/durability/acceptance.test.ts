/**
 * The acceptance test, end to end with the headless peer: a listener on a fixed port and
 * a `connect` peer chat; the listener is killed with SIGKILL; the dialer keeps writing; the
 * listener restarts on the same port and profile. Every message arrives exactly once, and neither
 * profile directory holds the plaintext of any message (or the other side's name) — checked
 * while both run (database, -wal, -shm) and after both have exited.
 */
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { type CliPeer, is, usePeers } from '../helpers/cli-peer';
import { describeFiles, findPlaintext } from '../helpers/durability-files';
import { allDelivered, crash, duplicates, freePort, listenOn, messageRecords, RECONNECT_WAIT_MS, storedMessages } from '../helpers/durability-peers';

async function send(from: CliPeer, lines: string[], what: string): Promise<string[]> {
  for (const line of lines) from.write(line);
  const ids: string[] = [];
  for (const [i] of lines.entries()) ids.push(String((await from.next(is.type('queued'), `${what} #${i + 1} queued`)).id));
  return ids;
}

describe('acceptance: kill -9 of the listener in a conversation', () => {
  const peers = usePeers();

  it('every message arrives exactly once, and the profiles hold no plaintext of any message', async () => {
    const tag = randomUUID().slice(0, 8);
    const LISTENER = `Listener Lysander-${tag}`;
    const DIALER = `Dialer Desdemona-${tag}`;
    const bobDir = peers.profile('listener');
    const aliceDir = peers.profile('dialer');
    const port = await freePort();

    const bob1 = await listenOn(peers, { profileDir: bobDir, name: LISTENER, port, label: 'listener (first run)' });
    const alice = peers.spawn(['connect', bob1.address, '--pin', bob1.pin, '--json', '--profile-dir', aliceDir, '--name', DIALER], { label: 'dialer' });
    await alice.next(is.type('connected'), 'the dialer connected');
    await bob1.peer.next(is.type('connected'), 'the listener connected');

    const first = Array.from({ length: 5 }, (_, i) => `acceptance: before the crash ${i} — ${tag} ✓`);
    const firstIds = await send(alice, first, 'before the crash');
    await allDelivered(alice, firstIds, 'deliveries before the crash', 60_000);
    const replies = [`acceptance: the listener answers ${tag}`];
    const replyIds = await send(bob1.peer, replies, 'reply');
    await allDelivered(bob1.peer, replyIds, 'the reply delivered', 60_000);

    await crash(bob1.peer);
    const second = Array.from({ length: 5 }, (_, i) => `acceptance: while the listener is dead ${i} — ${tag}`);
    const secondIds = await send(alice, second, 'while the listener is dead');

    const bob2 = await listenOn(peers, { profileDir: bobDir, name: LISTENER, port, label: 'listener (restarted)' });
    expect(bob2.pin, 'the restarted listener keeps its identity').toBe(bob1.pin);
    await allDelivered(alice, [...firstIds, ...secondIds], 'every message delivered after the restart', RECONNECT_WAIT_MS);
    const third = [`acceptance: after the restart ${tag}`];
    const thirdIds = await send(alice, third, 'after the restart');
    await allDelivered(alice, thirdIds, 'the last message delivered', 60_000);

    const fromDialer = [...first, ...second, ...third];
    const secrets = [...fromDialer, ...replies];
    const check = (when: string) => {
      for (const [dir, other] of [
        [bobDir, DIALER],
        [aliceDir, LISTENER],
      ] as const) {
        expect(findPlaintext(dir, [...secrets, other]), `plaintext in ${dir} ${when} (files: ${describeFiles(dir)})`).toEqual([]);
      }
    };
    check('while both run');

    alice.end();
    expect(await alice.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });
    bob2.peer.end();
    expect(await bob2.peer.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });
    check('after both exited');

    // Exactly once at the listener, over both runs, in the order written. Read after both exited:
    // the listener prints a message before it acks, but the test reads two pipes, so the dialer's
    // "delivered" line can reach the test before the listener's "message" line.
    const shown = messageRecords(bob1.peer, bob2.peer);
    expect(duplicates(shown.map((m) => m.id)), 'messages shown twice').toEqual([]);
    expect(shown.map((m) => m.id)).toEqual([...firstIds, ...secondIds, ...thirdIds]);
    expect(shown.map((m) => m.text)).toEqual(fromDialer);
    expect(messageRecords(alice).map((m) => m.text)).toEqual(replies);

    // The stores agree: one row per message, all readable, the dialer's all delivered.
    const atBob = storedMessages(bobDir);
    expect(atBob.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(fromDialer);
    expect(atBob.filter((m) => m.direction === 'out').map((m) => [m.text, m.state])).toEqual(replies.map((t) => [t, 'delivered']));
    const atAlice = storedMessages(aliceDir);
    expect(atAlice.filter((m) => m.direction === 'out').map((m) => [m.text, m.state])).toEqual(fromDialer.map((t) => [t, 'delivered']));
    expect([...atBob, ...atAlice].filter((m) => m.problem)).toEqual([]);
  }, 400_000);
});
