/**
 * kill -9 of the sender between its write and the receiver's ack. The receiver is held with
 * SIGSTOP so it cannot ack; the sender writes a line, the encrypted record leaves it, and the
 * sender is SIGKILLed. The receiver resumes, reads and commits the message, and acks into a dead
 * connection. The sender restarts on the same profile: its outbox still holds the message, so it
 * sends it again; the receiver drops the duplicate by id but acks it. Result: one `message` at the
 * receiver, one row in its store, and `delivered` at the restarted sender.
 */
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { type CliRecord, is, startListener, usePeers } from '../helpers/cli-peer';
import { crash, messageRecords, RECONNECT_WAIT_MS, signal, storedMessages } from '../helpers/durability-peers';

/** What a chat line becomes inside the JSON frame (and so inside the decrypted TLS record). */
const inFrame = (text: string) => JSON.stringify(text).slice(1, -1);

const outgoingRecordCarrying = (text: string) => (r: CliRecord) => {
  const plaintext = (r.detail as { decrypted?: { plaintext?: string } } | undefined)?.decrypted?.plaintext;
  return r.type === 'event' && r.kind === 'tls.record' && r.dir === 'out' && typeof plaintext === 'string' && plaintext.includes(inFrame(text));
};

const msgFrameIn = (id: unknown) => is.event('frame.in', (d) => d.type === 'msg' && d.id === id);

describe('kill -9 of the sender between write and ack', () => {
  const peers = usePeers();

  it('delivers the message exactly once after the sender restarts on the same profile', async () => {
    const bobDir = peers.profile('bob');
    const aliceDir = peers.profile('alice');
    const bob = await startListener(peers, bobDir, 'Bob', ['--accept-new']);
    const connectArgs = ['connect', bob.address, '--pin', bob.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'];
    const alice1 = peers.spawn(connectArgs, { label: 'alice (first run)' });
    await alice1.next(is.type('connected'), 'the sender\'s "connected" record');
    await bob.peer.next(is.type('connected'), 'the receiver\'s "connected" record');

    const text = `exactly once across a crash ${randomUUID()}`;
    let queued: CliRecord;
    signal(bob.peer, 'SIGSTOP');
    try {
      alice1.write(text);
      queued = await alice1.next(is.type('queued'), 'the "queued" record');
      // The encrypted record carrying the message has left the sender (its tap saw it go out).
      await alice1.next(outgoingRecordCarrying(text), 'the outgoing TLS record carrying the message');
      await crash(alice1);
    } finally {
      signal(bob.peer, 'SIGCONT');
    }
    expect(alice1.ofType('delivered'), 'a delivery the stopped receiver could not have acked').toEqual([]);

    // The receiver reads the message that waited in its socket, commits it and acks into a dead connection.
    const first = await bob.peer.next(is.message(text), 'the message at the receiver (first copy)');
    expect(first.id).toBe(queued.id);

    // The sender's store, between its runs: the message is still in the outbox, not delivered.
    const between = storedMessages(aliceDir).filter((m) => m.id === queued.id);
    expect(between.map((m) => [m.text, m.state])).toEqual([[text, 'sent']]);

    const alice2 = peers.spawn(connectArgs, { label: 'alice (restarted)' });
    const delivered = await alice2.next(is.delivered(queued.id), '"delivered" at the restarted sender', RECONNECT_WAIT_MS);
    expect(delivered.id).toBe(queued.id);
    // The resend reached the receiver as a frame (so de-duplication really was exercised) …
    await bob.peer.next(msgFrameIn(queued.id), 'the first msg frame at the receiver');
    await bob.peer.next(msgFrameIn(queued.id), 'the resent msg frame at the receiver');
    // … and the restarted sender did not queue anything new.
    expect(alice2.ofType('queued')).toEqual([]);

    alice2.end();
    expect(await alice2.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });
    bob.peer.end();
    expect(await bob.peer.waitExit('exit after the end of its stdin')).toEqual({ code: 0, signal: null });

    expect(messageRecords(bob.peer).filter((m) => m.id === queued.id), '"message" records for the id').toEqual([{ id: queued.id, text }]);
    expect(messageRecords(bob.peer)).toHaveLength(1);
    const atBob = storedMessages(bobDir);
    expect(atBob.map((m) => [m.id, m.text, m.direction])).toEqual([[queued.id, text, 'in']]);
    const atAlice = storedMessages(aliceDir);
    expect(atAlice.map((m) => [m.id, m.text, m.state])).toEqual([[queued.id, text, 'delivered']]);
    for (const p of [alice1, alice2, bob.peer]) expect(p.nonJson, `non-JSON stdout of ${p.label}`).toEqual([]);
  }, 240_000);
});
