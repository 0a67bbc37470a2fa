/**
 * Fuzzing the decoders with random streams and with mutated real captures. Deterministic (seeded)
 * so a failure reproduces; the invariants: nothing throws, memory stays bounded, every event is
 * plain JSON with a summary, and an unmutated capture decodes the same however it is chunked and
 * however late the keys come.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInput } from '../../../shared/events';
import { HandshakeReassembler, MAX_HANDSHAKE_MESSAGE, parseHello } from './hello-parser';
import { DirectionDecryptor } from './record-decryptor';
import { createRecordObserver } from './record-observer';
import { MAX_RECORD_BODY, RECORD_HEADER_LENGTH, RecordSplitter } from './record-splitter';
import { appPlaintext, collect, makeCerts, openPair, recordsOf, type Capture, type Certs } from './test-kit';
import { UNGATED } from './disclosure';

/** mulberry32: a tiny seeded PRNG. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, bytes };
}

/** Random chunk boundaries over a byte string. */
function chunked(r: ReturnType<typeof rng>, data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; ) {
    const n = 1 + r.int(r.next() < 0.2 ? 8 : 3000);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('splitter and parsers on random input', () => {
  it('never throws and never holds more than one maximum record', () => {
    const r = rng(1);
    for (let round = 0; round < 300; round++) {
      const s = new RecordSplitter();
      // Half the rounds: plausible headers (so bodies get buffered), half: pure noise.
      const stream = round % 2 ? r.bytes(r.int(40_000)) : plausibleRecords(r);
      for (const chunk of chunked(r, stream)) {
        s.push(chunk);
        expect(s.buffered).toBeLessThanOrEqual(RECORD_HEADER_LENGTH + MAX_RECORD_BODY);
      }
    }
  });

  it('parseHello returns a summary or an error for any bytes', () => {
    const r = rng(2);
    for (let i = 0; i < 3000; i++) {
      const res = parseHello(1 + r.int(2), r.bytes(r.int(600)));
      expect(typeof res).toBe('object');
      expect(JSON.parse(JSON.stringify('error' in res ? res : res.summary))).toBeTruthy();
    }
  });

  it('the handshake reassembler stays within its bound', () => {
    const r = rng(3);
    for (let round = 0; round < 200; round++) {
      const h = new HandshakeReassembler();
      for (let i = 0; i < 20; i++) {
        h.push(r.bytes(r.int(5000)));
        expect(h.buffered).toBeLessThanOrEqual(MAX_HANDSHAKE_MESSAGE + 4);
      }
    }
  });

  it('the decryptor never holds more than maxPending records', () => {
    const r = rng(4);
    const d = new DirectionDecryptor<number>('client', { maxPending: 16 });
    for (let i = 0; i < 500; i++) {
      const body = r.bytes(r.int(100));
      d.submit({ contentType: r.next() < 0.8 ? 23 : 22, version: 0x0303, length: body.length, header: Uint8Array.of(23, 3, 3, 0, body.length), body }, i);
      expect(d.pending).toBeLessThanOrEqual(16);
      if (i === 250) d.setSuite(0x1301);
    }
  });
});

function plausibleRecords(r: ReturnType<typeof rng>): Uint8Array {
  const parts: number[] = [];
  for (let i = 0; i < 6; i++) {
    const len = r.next() < 0.1 ? r.int(65536) : r.int(MAX_RECORD_BODY);
    parts.push(20 + r.int(4), 3, 3, len >> 8, len & 0xff, ...r.bytes(Math.min(len, r.int(MAX_RECORD_BODY))));
  }
  return Uint8Array.from(parts);
}

describe('the observer on mutated real captures', () => {
  let certs: Certs;
  let capture: Capture;
  let original: EventInput[];

  beforeAll(async () => {
    certs = makeCerts();
    const pair = await openPair({ certs });
    const got = collect(pair.server, 5000 + 12);
    pair.client.write('{"type":"hel');
    pair.client.write('m'.repeat(5000));
    pair.server.write('pong');
    await got;
    await collect(pair.client, 4);
    await pair.close();
    capture = pair.dialerCapture;
    original = pair.events.dialer;
  });
  afterAll(() => certs.cleanup());

  function replay(chunks: { dir: 'in' | 'out'; bytes: Uint8Array }[], keylogFirst: boolean): EventInput[] {
    const events: EventInput[] = [];
    const obs = createRecordObserver({ role: 'dialer', conn: 'D', emit: (e) => events.push(e), disclosure: UNGATED });
    if (keylogFirst) capture.keylog.forEach((l) => obs.onKeylog(l));
    for (const c of chunks) obs.onBytes(c.dir, c.bytes);
    if (!keylogFirst) capture.keylog.forEach((l) => obs.onKeylog(l));
    obs.flush();
    return events;
  }

  it('decodes the unmutated capture identically, whatever the chunking and however late the keys', () => {
    const r = rng(5);
    const want = recordsOf(original);
    expect(want.every((d) => !d.encrypted || d.decrypted)).toBe(true);
    for (const keylogFirst of [true, false]) {
      const rechunked = capture.chunks.flatMap((c) => chunked(r, c.bytes).map((bytes) => ({ dir: c.dir, bytes })));
      const got = replay(rechunked, keylogFirst);
      for (const dir of ['in', 'out'] as const) expect(recordsOf(got, dir)).toEqual(recordsOf(original, dir));
      expect(appPlaintext(recordsOf(got, 'out'))).toBe('{"type":"hel' + 'm'.repeat(5000));
    }
  });

  it('survives bit flips, truncation, inserted and dropped bytes without throwing', () => {
    const r = rng(6);
    for (let round = 0; round < 150; round++) {
      const chunks = capture.chunks.map((c) => ({ dir: c.dir, bytes: mutate(r, c.bytes) })).filter(() => r.next() > 0.05);
      const events = replay(chunks, r.next() < 0.5);
      for (const e of events) {
        expect(e.summary.length).toBeGreaterThan(0);
        expect(JSON.parse(JSON.stringify(e))).toEqual(e);
      }
    }
  });
});

function mutate(r: ReturnType<typeof rng>, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const roll = r.next();
  if (roll < 0.5) {
    for (let i = 0; i < 1 + r.int(3); i++) if (out.length) out[r.int(out.length)]! ^= 1 << r.int(8);
    return out;
  }
  if (roll < 0.7) return out.subarray(0, r.int(out.length + 1));
  if (roll < 0.85) {
    const at = r.int(out.length + 1);
    return Uint8Array.from([...out.subarray(0, at), ...r.bytes(1 + r.int(20)), ...out.subarray(at)]);
  }
  return out;
}
