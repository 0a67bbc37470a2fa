import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInput, HelloSummary, LockstepEvent } from '../../../shared/events';
import { EventBus } from '../events/event-bus';
import { createRecordObserver, MAX_DEFERRED_BYTES } from './record-observer';
import { appPlaintext, type Capture, collect, handshakeNames, makeCerts, openPair, recordsOf, type Certs } from './test-kit';
import { UNGATED } from './disclosure';

let certs: Certs;
beforeAll(() => {
  certs = makeCerts();
});
afterAll(() => certs.cleanup());

const hellos = (events: EventInput[], dir: 'in' | 'out'): HelloSummary[] =>
  events.flatMap((e) => (e.kind === 'tls.hello' && e.dir === dir ? [e.detail] : []));

// Chat-sized frames plus one big write (> 2 KiB, and > 16 KiB so it spans several records).
const fromClient = ['{"type":"hello","v":1}\n', '{"type":"msg","text":"héllo ✓"}\n', 'x'.repeat(20_000) + '\n'];
const fromServer = ['{"type":"hello","v":1}\n', '{"type":"ack","id":"1"}\n', 'y'.repeat(3000)];

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
// The listener accepts only this group, so the expected ServerHello group is known from the
// configuration, not taken from Node (Node 22 reports nothing for a hybrid group).
const GROUP = 'X25519MLKEM768';

describe.each(SUITES)('observer on both sides of a real mutual-TLS 1.3 connection, %s', (suite) => {
  let pair: Awaited<ReturnType<typeof openPair>>;
  let cipher: { name: string; standardName: string };
  let nodeReportedGroup: string | undefined;

  beforeAll(async () => {
    pair = await openPair({ certs, ciphers: suite, server: { ecdhCurve: GROUP } });
    cipher = pair.client.getCipher();
    nodeReportedGroup = (pair.client.getEphemeralKeyInfo() as { name?: string } | null)?.name;
    const serverGot = collect(pair.server, Buffer.byteLength(fromClient.join('')));
    const clientGot = collect(pair.client, Buffer.byteLength(fromServer.join('')));
    for (const m of fromClient) pair.client.write(m);
    for (const m of fromServer) pair.server.write(m);
    expect((await serverGot).toString()).toBe(fromClient.join(''));
    expect((await clientGot).toString()).toBe(fromServer.join(''));
    await pair.close();
  });

  it('negotiated the suite under test', () => {
    expect(cipher.standardName).toBe(suite);
  });

  it('reports the hellos with the negotiated suite and the one group the listener accepts', () => {
    for (const [events, helloDir, replyDir] of [
      [pair.events.dialer, 'out', 'in'],
      [pair.events.listener, 'in', 'out'],
    ] as const) {
      const [ch] = hellos(events, helloDir);
      const [sh] = hellos(events, replyDir);
      expect(ch?.handshakeType).toBe('client_hello');
      expect(ch?.cipherSuites).toContain(cipher.standardName);
      expect(ch?.versions).toContain('TLS 1.3');
      expect(sh?.handshakeType).toBe('server_hello');
      expect(sh?.cipherSuites).toEqual([cipher.standardName]);
      expect(sh?.versions).toEqual(['TLS 1.3']);
      expect(sh?.groups).toEqual([GROUP]);
      expect(ch?.keyShares.map((k) => k.group)).toContain(GROUP);
    }
  });

  it('never disagrees with Node: Node 24 and later name the same group, Node 22 names none', () => {
    expect([GROUP, undefined]).toContain(nodeReportedGroup);
  });

  it('decrypts every encrypted record, and the plaintexts are exactly what the peer app wrote', () => {
    for (const events of [pair.events.dialer, pair.events.listener]) {
      const encrypted = recordsOf(events).filter((r) => r.encrypted);
      expect(encrypted.length).toBeGreaterThan(8);
      expect(encrypted.filter((r) => !r.decrypted || r.undecryptable)).toEqual([]);
    }
    expect(appPlaintext(recordsOf(pair.events.dialer, 'out'))).toBe(fromClient.join(''));
    expect(appPlaintext(recordsOf(pair.events.listener, 'in'))).toBe(fromClient.join(''));
    expect(appPlaintext(recordsOf(pair.events.dialer, 'in'))).toBe(fromServer.join(''));
    expect(appPlaintext(recordsOf(pair.events.listener, 'out'))).toBe(fromServer.join(''));
  });

  it('names the encrypted handshake messages of both sides (mutual authentication)', () => {
    const serverFlight = ['EncryptedExtensions', 'CertificateRequest', 'Certificate', 'CertificateVerify', 'Finished'];
    const clientFlight = ['Certificate', 'CertificateVerify', 'Finished'];
    expect(handshakeNames(recordsOf(pair.events.dialer, 'in'))).toEqual(expect.arrayContaining(serverFlight));
    expect(handshakeNames(recordsOf(pair.events.listener, 'out'))).toEqual(expect.arrayContaining(serverFlight));
    expect(handshakeNames(recordsOf(pair.events.dialer, 'out'))).toEqual(clientFlight);
    expect(handshakeNames(recordsOf(pair.events.listener, 'in'))).toEqual(clientFlight);
  });

  it('numbers records per direction and restarts sequence numbers at each key change', () => {
    for (const dir of ['in', 'out'] as const) {
      const records = recordsOf(pair.events.dialer, dir);
      expect(records.map((r) => r.index)).toEqual(records.map((_, i) => i));
      const byEpoch = (epoch: string) => records.filter((r) => r.decrypted?.epoch === epoch).map((r) => r.decrypted!.sequence);
      for (const seqs of [byEpoch('handshake'), byEpoch('application')]) expect(seqs).toEqual(seqs.map((_, i) => i));
    }
  });

  it('writes a plain-language summary on every event and keeps secrets out by default', () => {
    const all = [...pair.events.dialer, ...pair.events.listener];
    for (const e of all) expect(e.summary.length).toBeGreaterThan(10);
    const keylogs = all.filter((e) => e.kind === 'tls.keylog');
    expect(keylogs.length).toBeGreaterThanOrEqual(8);
    for (const e of keylogs) expect(e.detail).not.toHaveProperty('secret');
    // OpenSSL 3.5 and later also send a hybrid post-quantum share before the X25519 one.
    expect(all.find((e) => e.kind === 'tls.hello')?.summary).toMatch(/^ClientHello \(in the clear\): offers \d+ cipher suites? and an (X25519MLKEM768 \+ )?X25519 key share$/);
    expect(all.filter((e) => e.kind === 'tls.error')).toEqual([]);
  });
});

describe('observer options', () => {
  it('puts the secrets into keylog events only in demo mode', async () => {
    const pair = await openPair({ certs, observer: { revealSecrets: true } });
    await pair.close();
    const keylogs = pair.events.dialer.flatMap((e) => (e.kind === 'tls.keylog' ? [e.detail] : []));
    const raw = pair.dialerCapture.keylog.map((l) => l.toString().trim().split(' '));
    expect(keylogs.map((k) => [k.label, k.clientRandom, k.secret])).toEqual(raw);
  });

  it('with expectKeys false (a relay) reports encrypted records at once, as not decryptable', async () => {
    const pair = await openPair({ certs });
    await pair.close();
    const out: EventInput[] = [];
    const relay = createRecordObserver({ role: 'dialer', conn: 'eve', emit: (e) => out.push(e), disclosure: UNGATED, expectKeys: false });
    for (const c of pair.dialerCapture.chunks) relay.onBytes(c.dir, c.bytes);
    const records = recordsOf(out);
    expect(records.length).toBe(recordsOf(pair.events.dialer).length);
    const encrypted = records.filter((r) => r.encrypted);
    expect(encrypted.length).toBeGreaterThan(3);
    for (const r of encrypted) expect(r.undecryptable).toMatch(/traffic secret/);
  });

  it('skips decryption of records the bulk sampler declines, and keeps counting', async () => {
    const pair = await openPair({ certs, observer: { sampleBulk: (r) => r.length < 1000 } });
    const got = collect(pair.server, 5000 + 6);
    pair.client.write('small\n');
    pair.client.write('z'.repeat(5000));
    await got;
    pair.client.write('after\n');
    await collect(pair.server, 6);
    await pair.close();
    const app = recordsOf(pair.events.dialer, 'out').filter((r) => r.decrypted?.epoch === 'application' || r.undecryptable);
    expect(app.some((r) => r.undecryptable?.includes('sampled'))).toBe(true);
    expect(appPlaintext(app)).toBe('small\nafter\n');
  });

  it('with slots decrypts no record in the turn its bytes passed, then reports each where decoding at once would have', async () => {
    const pair = await openPair({ certs });
    pair.client.write('{"type":"hello","v":1}\n');
    await collect(pair.server, 23);
    await pair.close();
    const { atOnce, arrived, bus, settle } = atOnceAndSlotted(pair.dialerCapture);
    expect(recordsOf(arrived).filter((r) => r.encrypted), 'no encrypted record (handshake or application) decoded in its own turn').toEqual([]);
    expect(arrived.some((e) => e.kind === 'tls.hello'), 'the hellos are read at once (the key exchange needs them)').toBe(true);
    await settle();
    expect(story(bus.backlog()), 'in seq order, the same story').toEqual(story(atOnce));
    expect(story(arrived), 'while in arrival order the records came after').not.toEqual(story(atOnce));
    expect(appPlaintext(recordsOf(bus.backlog(), 'out'))).toBe('{"type":"hello","v":1}\n');
  });

  it('with slots holds the handshake\'s records past their turn until handshakeDone, then decodes them on the next turn', async () => {
    const pair = await openPair({ certs });
    await pair.close();
    const { atOnce, arrived, bus, later, settle } = atOnceAndSlotted(pair.dialerCapture);
    const opened = () => recordsOf(arrived).filter((r) => r.encrypted && r.decrypted);
    await nextTurn();
    expect(opened(), 'a turn later, still held: the pin check and hello do not share a turn with them').toEqual([]);
    later.handshakeDone();
    expect(opened(), 'not in the turn of handshakeDone either').toEqual([]);
    await nextTurn();
    expect(handshakeNames(opened())).toEqual(expect.arrayContaining(['EncryptedExtensions', 'Certificate', 'CertificateVerify', 'Finished']));
    await settle();
    expect(story(bus.backlog()), 'in seq order, the same story as decoding at once').toEqual(story(atOnce));
  });

  it('with slots reads a listener\'s own ServerHello though its keylog lines came first, before the handshake is done', async () => {
    // On a live socket the listener's handshake secrets are logged before its flight is written:
    // the hello in the clear must not wait behind them (tls.secure's key exchange needs it).
    const pair = await openPair({ certs, observer: { slots: new EventBus() } });
    const serverHellos = hellos(pair.events.listener, 'out').filter((h) => h.handshakeType === 'server_hello');
    await pair.close();
    expect(serverHellos).toHaveLength(1);
    expect(recordsOf(pair.events.listener, 'out').some((r) => r.decrypted), 'its encrypted records were held until the close').toBe(true);
  });

  it('with slots decodes at once what one turn brings past MAX_DEFERRED_BYTES, and the story stays the same', async () => {
    const pair = await openPair({ certs });
    const bulk = 'b'.repeat(MAX_DEFERRED_BYTES * 2);
    const got = collect(pair.server, bulk.length);
    pair.client.write(bulk);
    await got;
    await pair.close();
    const { atOnce, arrived, bus, settle } = atOnceAndSlotted(pair.dialerCapture);
    const inTurn = recordsOf(arrived, 'out').filter((r) => r.decrypted?.epoch === 'application');
    expect(inTurn.length, 'past the bound, records were decoded in the same turn').toBeGreaterThan(0);
    expect(appPlaintext(inTurn).length, 'no more than the bound was left for the next turn').toBeGreaterThanOrEqual(bulk.length - MAX_DEFERRED_BYTES);
    await settle();
    expect(story(bus.backlog())).toEqual(story(atOnce));
    expect(appPlaintext(recordsOf(bus.backlog(), 'out'))).toBe(bulk);
  });
});

const story = (events: EventInput[]) => events.map((e) => `${e.kind} ${e.dir}: ${e.summary}`);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The same bytes and keylog lines, in the same order, to an observer that decodes at once and to
 * one that takes places on a real bus and decodes later (`later`, never told its handshake is
 * done). `settle`: let a turn come, then flush both.
 */
function atOnceAndSlotted(capture: Capture) {
  const atOnce: EventInput[] = [];
  const now = createRecordObserver({ role: 'dialer', conn: 'D', emit: (e) => atOnce.push(e), disclosure: UNGATED });
  const bus = new EventBus();
  const arrived: LockstepEvent[] = [];
  bus.subscribe((e) => arrived.push(e));
  const later = createRecordObserver({ role: 'dialer', conn: 'D', emit: (e, slot) => bus.emit(e, slot), slots: bus, disclosure: UNGATED });
  for (const observer of [now, later]) {
    const keylog = [...capture.keylog];
    for (const c of capture.chunks) {
      observer.onBytes(c.dir, c.bytes);
      // The keylog lines arrive while TLS reads the server's flight, as they do on a live socket.
      if (c.dir === 'in') keylog.splice(0).forEach((l) => observer.onKeylog(l));
    }
  }
  const settle = async () => {
    await nextTurn();
    now.flush();
    later.flush();
  };
  return { atOnce, arrived, bus, later, settle };
}
