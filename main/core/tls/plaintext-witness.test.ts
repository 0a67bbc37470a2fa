/**
 * The plaintext witness on a real mutual-TLS 1.3 connection (Node's TLS on both ends, a tap and
 * an observer on each): every application record, decrypted independently, equals the bytes the
 * app wrote or read, in both directions, whatever the write sizes; a comparison fed other bytes
 * is loud; memory stays bounded when one side never catches up.
 */
import net from 'node:net';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EventBase, EventInput } from '../../../shared/events';
import { createPlaintextWitness, type PlaintextWitness, previewOf } from './plaintext-witness';
import { createRecordObserver } from './record-observer';
import { Tap } from './tap';
import { collect, makeCerts, once, type Certs } from './test-kit';
import { UNGATED } from './disclosure';

type Witnessed = Omit<EventBase<'tls.witness'>, 'seq' | 't' | 'at'>;

let certs: Certs;
beforeAll(() => {
  certs = makeCerts();
});
afterAll(() => certs.cleanup());

interface Side {
  events: EventInput[];
  witness: PlaintextWitness;
  socket: tls.TLSSocket;
}

/**
 * A dialer and a listener, each with its own observer and witness. `appBytes` decides what the
 * witness is told the app wrote/read (by default: exactly what it wrote/read).
 */
async function openWitnessedPair(appBytes: (side: 'dialer' | 'listener', dir: 'in' | 'out', bytes: Buffer) => Buffer = (_s, _d, b) => b) {
  const make = (role: 'dialer' | 'listener') => {
    const events: EventInput[] = [];
    const witness = createPlaintextWitness({ conn: role, emit: (e) => events.push(e), disclosure: UNGATED });
    const observer = createRecordObserver({ role, conn: role, emit: (e) => events.push(e), disclosure: UNGATED, onPlaintext: (d, i, b, r) => witness.onRecord(d, i, b, r) });
    return { events, witness, observer };
  };
  const d = make('dialer');
  const l = make('listener');
  const base = { key: certs.key, cert: certs.cert, rejectUnauthorized: false, minVersion: 'TLSv1.3' as const };
  const tlsServer = tls.createServer({ ...base, requestCert: true });
  tlsServer.on('keylog', (line: Buffer) => l.observer.onKeylog(line));
  const netServer = net.createServer((sock) => {
    const tap = new Tap(sock);
    tap.onBytes = (dir, chunk) => l.observer.onBytes(dir, chunk);
    tlsServer.emit('connection', tap);
  });
  await new Promise<void>((resolve) => netServer.listen(0, '127.0.0.1', resolve));
  const serverReady = once(tlsServer, 'secureConnection') as Promise<tls.TLSSocket>;
  const raw = await new Promise<net.Socket>((resolve) => {
    const s = net.connect((netServer.address() as net.AddressInfo).port, '127.0.0.1', () => resolve(s));
  });
  const tap = new Tap(raw);
  tap.onBytes = (dir, chunk) => d.observer.onBytes(dir, chunk);
  const client = tls.connect({ ...base, socket: tap });
  client.on('keylog', (line) => d.observer.onKeylog(line));
  await once(client, 'secureConnect');
  const server = await serverReady;
  // The app's side of the comparison: every write and every read, as an app would see them.
  const instrument = (side: 'dialer' | 'listener', socket: tls.TLSSocket, witness: PlaintextWitness) => {
    socket.on('data', (chunk: Buffer) => witness.onAppBytes('in', appBytes(side, 'in', chunk)));
    const write = socket.write.bind(socket) as (chunk: Buffer | string) => boolean;
    return (data: string | Buffer) => {
      const bytes = Buffer.from(data);
      witness.onAppBytes('out', appBytes(side, 'out', bytes));
      return write(bytes);
    };
  };
  const dialer = { ...d, socket: client, write: instrument('dialer', client, d.witness) };
  const listener = { ...l, socket: server, write: instrument('listener', server, l.witness) };
  const close = async () => {
    const closed = Promise.all([once(client, 'close'), once(server, 'close')]);
    client.end();
    server.end();
    await closed;
    await new Promise<void>((resolve) => netServer.close(() => resolve()));
    tlsServer.close();
  };
  return { dialer, listener, close };
}

const witnessed = (events: EventInput[], dir?: 'in' | 'out'): Witnessed[] =>
  events.filter((e): e is Witnessed => e.kind === 'tls.witness' && (!dir || e.dir === dir));

const appRecords = (events: EventInput[], dir: 'in' | 'out') =>
  events.flatMap((e) => (e.kind === 'tls.record' && e.dir === dir && e.detail.decrypted?.innerContentType === 'application_data' ? [e.detail.index] : []));

/** Wait until every application record on `side` has been judged (both directions). */
async function settled(side: Side): Promise<void> {
  for (;;) {
    const done = (['in', 'out'] as const).every((dir) => witnessed(side.events, dir).length === appRecords(side.events, dir).length);
    if (done) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('on a real TLS 1.3 connection', () => {
  it('every application record in both directions equals the bytes the app wrote and read', async () => {
    const pair = await openWitnessedPair();
    // Small frames, a write that spans several records (> 16 KiB), and writes TLS may coalesce.
    const fromDialer = ['{"type":"msg","text":"meet at 6"}\n', 'x'.repeat(40_000) + '\n', 'a', 'b', 'c\n', 'é✓🙂\n'];
    const fromListener = ['{"type":"ack","id":"1"}\n', 'y'.repeat(17_000), '{"type":"msg","text":"see you ✓"}\n'];
    const listenerGot = collect(pair.listener.socket, Buffer.byteLength(fromDialer.join('')));
    const dialerGot = collect(pair.dialer.socket, Buffer.byteLength(fromListener.join('')));
    for (const m of fromDialer) pair.dialer.write(m);
    for (const m of fromListener) pair.listener.write(m);
    expect((await listenerGot).toString()).toBe(fromDialer.join(''));
    expect((await dialerGot).toString()).toBe(fromListener.join(''));
    await settled(pair.dialer);
    await settled(pair.listener);
    await pair.close();

    for (const side of [pair.dialer, pair.listener]) {
      for (const dir of ['in', 'out'] as const) {
        const judged = witnessed(side.events, dir);
        expect(judged.map((w) => w.detail.recordIndex), `records judged (${dir})`).toEqual(appRecords(side.events, dir));
        expect(judged.filter((w) => !w.detail.equal), `mismatches (${dir})`).toEqual([]);
        expect(judged.every((w) => w.summary.includes("decrypted independently = the app's own bytes ✓"))).toBe(true);
      }
    }
    const total = (side: Side, dir: 'in' | 'out') => witnessed(side.events, dir).reduce((n, w) => n + w.detail.bytes, 0);
    expect(total(pair.dialer, 'out')).toBe(Buffer.byteLength(fromDialer.join('')));
    expect(total(pair.listener, 'in')).toBe(Buffer.byteLength(fromDialer.join('')));
    expect(total(pair.listener, 'out')).toBe(Buffer.byteLength(fromListener.join('')));
    expect(witnessed(pair.dialer.events, 'out')[0]!.summary).toMatch(/^Record #\d+ decrypted independently = the app's own bytes ✓ "meet at 6"$/);
  });

  it('is loud when the app-side bytes differ from what the wire carried (a corrupted comparison)', async () => {
    // The witness is told the dialer wrote "meet at 7" while the wire (correctly) carries "meet at 6".
    const pair = await openWitnessedPair((side, dir, bytes) =>
      side === 'dialer' && dir === 'out' ? Buffer.from(bytes.toString().replace('meet at 6', 'meet at 7')) : bytes,
    );
    const frame = '{"type":"msg","text":"meet at 6"}\n';
    const got = collect(pair.listener.socket, frame.length);
    pair.dialer.write(frame);
    await got;
    await settled(pair.dialer);
    await settled(pair.listener);
    await pair.close();

    const [loud] = witnessed(pair.dialer.events, 'out');
    expect(loud!.detail).toMatchObject({ equal: false, bytes: frame.length, preview: 'meet at 6' });
    expect(loud!.summary).toMatch(new RegExp(`^RECORD #\\d+ DECRYPTED INDEPENDENTLY IS NOT WHAT THE APP WROTE: THE BYTES DIFFER FROM BYTE ${frame.indexOf('6')} ON`));
    // The receiver's comparison was not tampered with: equal there.
    expect(witnessed(pair.listener.events, 'in').map((w) => w.detail.equal)).toEqual([true]);
  });
});

describe('bounds and unreadable records', () => {
  const rec = (s: string) => new TextEncoder().encode(s);

  it('reports once and stops comparing when the app falls too far behind, holding nothing more', () => {
    const events: EventInput[] = [];
    const w = createPlaintextWitness({ conn: 'c', emit: (e) => events.push(e), disclosure: UNGATED, maxQueuedBytes: 1000, maxQueuedRecords: 8 });
    for (let i = 0; i < 5; i++) w.onRecord('in', i, rec('z'.repeat(300)));
    for (let i = 5; i < 50; i++) w.onRecord('in', i, rec('z'.repeat(300)));
    w.onAppBytes('in', rec('z'.repeat(15_000)));
    const all = witnessed(events);
    expect(all).toHaveLength(1);
    expect(all[0]!.detail).toMatchObject({ equal: false, unchecked: expect.stringMatching(/the app fell behind/) });
    expect(all[0]!.summary).toMatch(/^The witness stopped comparing this direction/);
    // The other direction is unaffected.
    w.onAppBytes('out', rec('ok'));
    w.onRecord('out', 3, rec('ok'));
    expect(witnessed(events, 'out').map((e) => e.detail.equal)).toEqual([true]);
  });

  it('stops on too many small records too', () => {
    const events: EventInput[] = [];
    const w = createPlaintextWitness({ conn: 'c', emit: (e) => events.push(e), disclosure: UNGATED, maxQueuedRecords: 4 });
    for (let i = 0; i < 10; i++) w.onRecord('out', i, rec('.'));
    expect(witnessed(events).map((e) => e.detail.unchecked)).toEqual([expect.stringMatching(/5 decrypted records waited/)]);
  });

  it('a record that fails its tag is loud; one that was sampled out is not; both end the comparison', () => {
    const events: EventInput[] = [];
    const w = createPlaintextWitness({ conn: 'c', emit: (e) => events.push(e), disclosure: UNGATED });
    w.onRecord('in', 7, null, { cause: 'tag-mismatch', text: 'tag mismatch at application sequence 2: the record was altered in flight or the keys are wrong' });
    w.onRecord('out', 9, null, { cause: 'sampled', text: 'not decrypted: bulk traffic is sampled' });
    w.onRecord('in', 8, rec('later'));
    w.onAppBytes('in', rec('other'));
    const [tag, sampled, ...rest] = witnessed(events);
    expect(tag!.summary).toMatch(/^RECORD #7 ON THE WIRE DOES NOT DECRYPT/);
    expect(sampled!.summary).toMatch(/^Record #9 was not decrypted independently/);
    expect([tag!.detail.cause, sampled!.detail.cause]).toEqual(['tag-mismatch', 'not-opened']);
    expect(rest).toEqual([]);
  });

  it('judges a record split over several writes and several records in one write', () => {
    const events: EventInput[] = [];
    const w = createPlaintextWitness({ conn: 'c', emit: (e) => events.push(e), disclosure: UNGATED });
    w.onAppBytes('out', rec('hel'));
    w.onRecord('out', 4, rec('hello'));
    w.onRecord('out', 5, rec(' world'));
    expect(witnessed(events)).toEqual([]);
    w.onAppBytes('out', rec('lo wor'));
    w.onAppBytes('out', rec('ld'));
    expect(witnessed(events).map((e) => [e.detail.recordIndex, e.detail.equal])).toEqual([
      [4, true],
      [5, true],
    ]);
  });

  it('previews the text of a chat frame, or the first characters on one line', () => {
    expect(previewOf(rec('{"type":"msg","id":"1","at":"x","text":"meet at \\"6\\" ✓"}\n'))).toBe('meet at "6" ✓');
    expect(previewOf(rec('line one\nline two'))).toBe('line one line two');
    expect(previewOf(rec('q'.repeat(100)))).toBe(`${'q'.repeat(48)}…`);
  });
});
