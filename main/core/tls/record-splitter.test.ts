import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BODY, RecordSplitter } from './record-splitter';

const record = (type: number, body: number[] | Uint8Array) => Uint8Array.from([type, 3, 3, body.length >> 8, body.length & 0xff, ...body]);

describe('RecordSplitter', () => {
  it('splits records out of arbitrary chunking, byte by byte included', () => {
    const stream = Uint8Array.from([...record(22, [1, 2, 3]), ...record(20, [1]), ...record(23, new Uint8Array(300).fill(9))]);
    for (const size of [1, 2, 5, 7, 64, stream.length]) {
      const s = new RecordSplitter();
      const out = [];
      for (let i = 0; i < stream.length; i += size) out.push(...s.push(stream.subarray(i, i + size)).records);
      expect(out.map((r) => [r.contentType, r.version, r.length, r.body.length])).toEqual([[22, 0x0303, 3, 3], [20, 0x0303, 1, 1], [23, 0x0303, 300, 300]]);
      expect(Array.from(out[0]!.header)).toEqual([22, 3, 3, 0, 3]);
      expect(s.buffered).toBe(0);
    }
  });

  it('returns an empty-bodied record', () => {
    expect(new RecordSplitter().push(record(23, [])).records.map((r) => r.length)).toEqual([0]);
  });

  it('holds only the incomplete record', () => {
    const s = new RecordSplitter();
    s.push(record(23, new Uint8Array(1000)).subarray(0, 600));
    expect(s.buffered).toBe(600);
  });

  it('accepts the largest legal record and refuses one byte more, then stops', () => {
    const ok = new RecordSplitter().push(record(23, new Uint8Array(MAX_RECORD_BODY)));
    expect(ok.records.length).toBe(1);
    const s = new RecordSplitter();
    const bad = s.push(Uint8Array.from([...record(22, [1]), 23, 3, 3, (MAX_RECORD_BODY + 1) >> 8, (MAX_RECORD_BODY + 1) & 0xff]));
    expect(bad.records.length).toBe(1);
    expect(bad.error).toEqual({ error: expect.stringMatching(/exceeds the TLS maximum/), offset: 6 });
    expect(s.failed).toBe(true);
    expect(s.push(record(22, [1])).records).toEqual([]);
    expect(s.buffered).toBe(0);
  });

  it.each([
    ['not a TLS content type', [0x47, 0x45, 0x54, 0x20, 0x2f]], // "GET /"
    ['not a TLS version', [22, 2, 0, 0, 1]],
  ])('refuses a stream that is %s', (_why, bytes) => {
    expect(new RecordSplitter().push(Uint8Array.from(bytes)).error?.error).toMatch(/not TLS|not a TLS/);
  });
});
