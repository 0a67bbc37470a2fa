/**
 * The drills with real processes and real TLS: Alice listens, Eve sits in the middle, Bob dials
 * Eve's port holding Alice's pin. Each drill's outcome is asserted on both peers, in their own
 * events and in the verdict the app draws from them (`verdictFor`), and on Eve's stream.
 */
import { describe, expect, it } from 'vitest';

import { type CliPeer, is, type Peers, usePeers } from '../helpers/cli-peer';
import { events, expectEveNeverRead, expectWitnessed, peerVerdicts, startTrio } from './trio';

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;

async function pinOf(peers: Peers, profileDir: string, name: string): Promise<string> {
  const id = peers.spawn(['id', '--json', '--profile-dir', profileDir, '--name', name], { label: `${name} (id)` });
  const record = await id.next(is.type('identity'), `${name}'s identity record`);
  await id.waitExit();
  return String(record.pin);
}

function eveVerdict(eve: CliPeer, drill: string) {
  return eve.next((r) => r.type === 'event' && r.kind === 'drill.verdict' && (r.detail as { drill: string }).drill === drill, `Eve's ${drill} verdict`);
}

/** Bob's and Alice's messages: received exactly once each, text intact. */
function expectExactlyOnce(peer: CliPeer, text: string): void {
  expect(peer.ofType('message').map((m) => m.text), `messages on ${peer.label}`).toEqual([text]);
}

describe('drills through Eve (three processes)', () => {
  const peers = usePeers();

  it('eavesdropper: the chat works through passive Eve, and she sees records but never the text', async () => {
    const t = await startTrio(peers, 'passive', ['--accept-new']);
    const fromBob = unique('meet at 6');
    const fromAlice = unique('see you there');
    t.bob.write(fromBob);
    await t.alice.next(is.message(fromBob), "Bob's message at Alice");
    const queued = await t.bob.next(is.type('queued'), 'Bob\'s "queued"');
    await t.bob.next(is.delivered(queued.id), 'the ack at Bob');
    t.alice.write(fromAlice);
    await t.bob.next(is.message(fromAlice), "Alice's reply at Bob");
    t.bob.end();
    expect(await t.bob.waitExit()).toEqual({ code: 0, signal: null });

    const verdict = await eveVerdict(t.eve, 'eavesdropper');
    expect(verdict.detail).toMatchObject({ outcome: 'observed' });
    expect(String((verdict.detail as { reason: string }).reason)).toMatch(/^Eve saw \d+ records, \d+ bytes, and no readable message/);

    // Eve relayed every record and showed each as hex and ASCII; after the hellos, all ciphertext.
    const seen = events(t.eve, 'drill.eve');
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((e) => e.detail.action === 'relayed' && typeof e.detail.hex === 'string' && typeof e.detail.ascii === 'string')).toBe(true);
    expect(new Set(seen.map((e) => e.detail.from))).toEqual(new Set(['dialer', 'listener']));
    const records = events(t.eve, 'tls.record');
    expect(records.filter((r) => r.detail.encrypted && r.detail.decrypted), 'records Eve could open').toEqual([]);
    expect(records.filter((r) => r.detail.encrypted).length).toBeGreaterThan(8);
    expect(events(t.eve, 'tls.hello').map((h) => h.detail.handshakeType)).toEqual(['client_hello', 'server_hello']);
    for (const text of [fromBob, fromAlice]) expectEveNeverRead(t.eve, text);

    // The peers, on the other hand, have the text: as messages, and in the records they decrypted.
    expect(t.alice.stdout).toContain(fromBob);
    expect(t.bob.stdout).toContain(fromAlice);
    expectExactlyOnce(t.alice, fromBob);
    expectExactlyOnce(t.bob, fromAlice);
    expectWitnessed(t.alice);
    expectWitnessed(t.bob);
    expect(peerVerdicts(t.alice)).toEqual([]);
    expect(peerVerdicts(t.bob)).toEqual([]);
  }, 180_000);

  it('tamper: Eve flips one bit; Alice rejects the record, the connection drops, Bob reconnects and the message arrives once, intact', async () => {
    const t = await startTrio(peers, 'tamper', ['--accept-new']);
    const text = unique('pay Bob 100');
    t.bob.write(text); // queued before the connection exists: the first message after the hellos

    const flipped = await t.eve.next((r) => r.type === 'event' && r.kind === 'drill.eve' && (r.detail as { action: string }).action === 'flipped', 'Eve flipping a bit');
    expect(flipped.detail).toMatchObject({ mode: 'tamper', from: 'dialer' });
    // Typed too, for the stage: which record, which byte (header included) and which bit.
    const flip = flipped.detail as { recordIndex: number; flipped: { byteOffset: number; bit: number }; hex: string };
    expect(Number.isInteger(flip.recordIndex)).toBe(true);
    expect(flip.flipped).toEqual({ byteOffset: 7, bit: 0 });
    const rejected = await t.alice.next(is.event('tls.error', (d) => /BAD_RECORD_MAC|DECRYPTION_FAILED/.test(String(d.code))), "Alice's integrity failure");
    expect(String(rejected.summary)).toMatch(/record failed its integrity check/i);
    const aliceClosed = await t.alice.next(is.type('closed'), "Alice's first connection closing");
    expect(aliceClosed.conn).toBe(rejected.conn);
    expect(String(aliceClosed.reason)).toMatch(/integrity check/);

    // Bob lost the connection, came back by himself and the message went through once.
    await t.bob.next(is.type('closed'), "Bob's first connection closing");
    const received = await t.alice.next(is.message(text), 'the message at Alice, after the reconnection');
    expect(received.from).toBe('Bob');
    const queued = await t.bob.next(is.type('queued'), 'Bob\'s "queued"');
    await t.bob.next(is.delivered(queued.id), 'the ack at Bob');
    // Eve flips the dialer's first record once the listener has answered its flight: Bob's hello
    // or his message, whichever reaches her first (the wire does not say which). Either way the
    // message comes over a new connection.
    expect(t.alice.ofType('connected').filter((c) => c.conn !== rejected.conn).length).toBeGreaterThanOrEqual(1);
    expect(received.id).toBe(queued.id);

    const verdict = await eveVerdict(t.eve, 'tamper');
    expect(verdict.detail).toMatchObject({ outcome: 'defeated' });
    expect(String((verdict.detail as { reason: string }).reason)).toMatch(/flipped bit 0 of byte \d+ in record #\d+ from the dialer/);
    t.bob.end();
    expect(await t.bob.waitExit()).toEqual({ code: 0, signal: null });

    // Nothing corrupt was ever shown: one message, the right text; the altered record was never opened.
    expectExactlyOnce(t.alice, text);
    const bad = events(t.alice, 'tls.record').filter((r) => r.conn === rejected.conn && r.dir === 'in' && r.detail.unopened === 'tag-mismatch');
    expect(bad).toHaveLength(1);
    expect(events(t.alice, 'tls.witness').filter((w) => w.conn === rejected.conn && !w.detail.equal).map((w) => w.summary)).toEqual([expect.stringMatching(/^RECORD #\d+ ON THE WIRE DOES NOT DECRYPT/)]);
    expect(peerVerdicts(t.alice)).toEqual([expect.objectContaining({ drill: 'tamper', outcome: 'defeated' })]);
    expect(events(t.eve, 'drill.eve').filter((e) => e.detail.action === 'flipped')).toHaveLength(1);
    expectEveNeverRead(t.eve, text);
  }, 180_000);

  it('impostor: Eve answers with her own certificate; both peers refuse her key at the pin check and no message flows', async () => {
    const bobDir = peers.profile('bob');
    const bobPin = await pinOf(peers, bobDir, 'Bob');
    // Alice knows Bob's key (and trusts no newcomer): the impostor's key is refused on her side too.
    const t = await startTrio(peers, 'impostor', ['--trust', bobPin], bobDir, ['--profile-dir', peers.profile('eve'), '--name', 'Eve']);
    const secret = unique('the vault code is');
    t.bob.write(secret);

    const error = await t.bob.next(is.type('error'), "Bob's PIN_MISMATCH");
    expect(error.code).toBe('PIN_MISMATCH');
    const exit = await t.bob.waitExit('exit after the pin mismatch');
    expect(exit.code).toBe(1);
    expect(events(t.bob, 'trust.check').map((e) => e.detail)).toEqual([expect.objectContaining({ role: 'dialer', verdict: 'mismatch', expected: t.alicePin, presented: t.evePin })]);

    const refused = await t.alice.next((r) => r.type === 'closed' && r.code === 'UNTRUSTED_PEER', "Alice refusing Eve's key");
    expect(refused.by).toBe('local');
    expect(events(t.alice, 'trust.check').map((e) => e.detail)).toEqual([expect.objectContaining({ role: 'listener', verdict: 'unknown', expected: null, presented: t.evePin })]);

    const verdict = await eveVerdict(t.eve, 'impostor');
    expect(verdict.detail).toMatchObject({ outcome: 'defeated' });
    expect(String((verdict.detail as { reason: string }).reason)).toContain(t.evePin);

    for (const p of [t.alice, t.bob]) {
      expect(p.ofType('message'), `message records on ${p.label}`).toEqual([]);
      expect(p.ofType('connected'), `connected records on ${p.label}`).toEqual([]);
      expect(events(p, 'frame.in'), `frames read by ${p.label}`).toEqual([]);
    }
    expect(events(t.bob, 'frame.out'), 'frames Bob sent').toEqual([]);
    expect(peerVerdicts(t.bob)).toEqual([expect.objectContaining({ drill: 'impostor', outcome: 'defeated' })]);
    expect(peerVerdicts(t.alice)).toEqual([expect.objectContaining({ drill: 'impostor', outcome: 'defeated' })]);
    // Eve, an endpoint of both connections, read no application byte from either.
    expect(events(t.eve, 'drill.eve').filter((e) => e.detail.action === 'relayed'), 'plaintext Eve read').toEqual([]);
    expectEveNeverRead(t.eve, secret);
  }, 180_000);

  it('replay: Eve sends one of Bob\'s records twice; Alice takes the original, rejects the copy (bad_record_mac), shows the message once', async () => {
    const t = await startTrio(peers, 'replay', ['--accept-new']);
    const text = unique('transfer 100 to Eve');
    t.bob.write(text);

    const replayed = await t.eve.next((r) => r.type === 'event' && r.kind === 'drill.eve' && (r.detail as { action: string }).action === 'replayed', 'Eve replaying a record');
    expect(replayed.detail).toMatchObject({ mode: 'replay', from: 'dialer' });
    const rejected = await t.alice.next(is.event('tls.error', (d) => /BAD_RECORD_MAC|DECRYPTION_FAILED/.test(String(d.code))), "Alice's bad_record_mac");
    expect(String(rejected.summary)).toMatch(/bad_record_mac/);
    await t.alice.next((r) => r.type === 'closed' && r.conn === rejected.conn, "Alice's connection closing");
    // Her independent decryptor names the copy for what it is (a turn after its bytes passed, so
    // its line may come after the close; its seq is where the record was on the wire).
    const isCopy = (r: { conn?: unknown; dir?: unknown; detail: Record<string, unknown> }) => r.conn === rejected.conn && r.dir === 'in' && r.detail.unopened === 'tag-mismatch' && r.detail.replayOf !== undefined;
    const copyLine = await t.alice.next(is.event('tls.record', (d) => d.unopened === 'tag-mismatch' && d.replayOf !== undefined), "Alice's decryptor naming the copy");
    expect(copyLine.conn).toBe(rejected.conn);
    expect(Number(copyLine.seq)).toBeLessThan(Number(rejected.seq));
    expect(events(t.alice, 'tls.record').filter(isCopy)).toHaveLength(1);

    const queued = await t.bob.next(is.type('queued'), 'Bob\'s "queued"');
    await t.bob.next(is.delivered(queued.id), 'the ack at Bob');
    const verdict = await eveVerdict(t.eve, 'replay');
    expect(verdict.detail).toMatchObject({ outcome: 'defeated' });
    t.bob.end();
    expect(await t.bob.waitExit()).toEqual({ code: 0, signal: null });

    expectExactlyOnce(t.alice, text);
    expect(peerVerdicts(t.alice)).toEqual([expect.objectContaining({ drill: 'replay', outcome: 'defeated' })]);
    expect(events(t.eve, 'drill.eve').filter((e) => e.detail.action === 'replayed')).toHaveLength(1);
    expectEveNeverRead(t.eve, text);
  }, 180_000);
});

describe('downgrade drill (two processes)', () => {
  const peers = usePeers();

  it('a TLS 1.2-only handshake is refused with protocol_version, named on both sides', async () => {
    const alice = peers.spawn(['listen', '--host', '127.0.0.1', '--port', '0', '--json', '--profile-dir', peers.profile('alice'), '--name', 'Alice', '--accept-new'], { label: 'Alice' });
    const ready = await alice.next(is.type('ready'), 'Alice ready');
    const drill = peers.spawn(['drill', 'downgrade', `127.0.0.1:${String(ready.port)}`, '--json'], { label: 'drill' });
    const verdict = await drill.next(is.type('verdict'), 'the drill verdict');
    expect(verdict).toMatchObject({ drill: 'downgrade', outcome: 'defeated' });
    expect(String(verdict.reason)).toMatch(/protocol_version alert/);
    expect(await drill.waitExit()).toEqual({ code: 0, signal: null });
    // The drill's own tap: a ClientHello offering nothing newer than TLS 1.2, and the alert in the clear.
    const hello = events(drill, 'tls.hello')[0]!;
    expect(hello.detail).toMatchObject({ handshakeType: 'client_hello' });
    expect(hello.detail.versions).not.toContain('TLS 1.3');
    expect(events(drill, 'tls.error').some((e) => e.detail.alert === 'protocol_version')).toBe(true);
    expect(events(drill, 'drill.verdict')).toHaveLength(1);

    // Alice's side says why, in words, and names the alert she sent.
    const words = await alice.next(is.event('tls.error', (d) => d.code !== 'TLS_ALERT'), "Alice's tls.error");
    expect(String(words.summary)).toMatch(/older TLS version; Lockstep speaks TLS 1\.3 only/);
    await alice.next(is.event('tls.error', (d) => d.alert === 'protocol_version'), 'the protocol_version alert Alice sent');
    expect(peerVerdicts(alice)).toEqual([expect.objectContaining({ drill: 'downgrade', outcome: 'defeated' })]);
    expect(alice.events('tls.secure')).toEqual([]);
    alice.end();
    expect(await alice.waitExit()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
