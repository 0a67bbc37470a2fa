/**
 * Eve's record cursor: whatever the chunking, a flip lands on the planned byte of the planned
 * record and a copy follows its record exactly; everything else passes untouched.
 */
import { describe, expect, it } from 'vitest';

import { asciiPreview, hexPreview, RecordCursor, type RecordPlan, type RecordSeen, type RecordStart } from './record-cursor';

const rec = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]), body]);
const body = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));

const stream = Buffer.concat([rec(22, body(40, 1)), rec(20, Buffer.from([1])), rec(23, body(60, 2)), rec(23, body(300, 3)), rec(23, body(19, 4))]);

/** Feed `stream` cut at the given sizes (cycled), return the bytes Eve would send and what she saw. */
function run(sizes: number[], plan: (r: RecordStart) => RecordPlan | void) {
  const seen: RecordSeen[] = [];
  const cursor = new RecordCursor({ plan, seen: (r) => seen.push(r) });
  const out: Buffer[] = [];
  const input = Buffer.from(stream);
  for (let pos = 0, i = 0; pos < input.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(...cursor.push(input.subarray(pos, pos + n)));
    pos += n;
  }
  expect(input.equals(stream), 'the input buffer was not altered').toBe(true);
  return { sent: Buffer.concat(out), seen };
}

describe('RecordCursor', () => {
  for (const sizes of [[stream.length], [1], [3, 7], [5], [64, 1, 2], [13]]) {
    it(`relays untouched and sees every record (chunks of ${sizes.join(', ')})`, () => {
      const { sent, seen } = run(sizes, () => undefined);
      expect(sent.equals(stream)).toBe(true);
      expect(seen.map((r) => [r.index, r.contentType, r.length])).toEqual([
        [0, 22, 40],
        [1, 20, 1],
        [2, 23, 60],
        [3, 23, 300],
        [4, 23, 19],
      ]);
      expect(seen[2]!.head.equals(stream.subarray(51, 51 + 24))).toBe(true);
    });

    it(`flips exactly one bit of the planned record (chunks of ${sizes.join(', ')})`, () => {
      const { sent, seen } = run(sizes, (r) => (r.index === 3 ? { flip: { bodyOffset: 2, bit: 0 } } : undefined));
      const at = 40 + 5 + 1 + 5 + 60 + 5 + 5 + 2; // record #3 starts at 116; its body byte 2
      const diff = [...sent].flatMap((b, i) => (b !== stream[i] ? [i] : []));
      expect(diff).toEqual([at]);
      expect(sent[at]! ^ stream[at]!).toBe(1);
      expect(seen[3]!.flipped).toEqual({ byteOffset: 7, bit: 0 });
    });

    it(`sends an exact copy right after the planned record (chunks of ${sizes.join(', ')})`, () => {
      const { sent, seen } = run(sizes, (r) => (r.index === 2 ? { duplicate: true } : undefined));
      const r2 = rec(23, body(60, 2));
      const end = 40 + 5 + 1 + 5 + r2.length;
      expect(sent.equals(Buffer.concat([stream.subarray(0, end), r2, stream.subarray(end)]))).toBe(true);
      expect(seen.map((r) => r.duplicated)).toEqual([false, false, true, false, false]);
    });
  }

  it('stops interpreting a stream that is not TLS and relays it untouched', () => {
    const seen: RecordSeen[] = [];
    const cursor = new RecordCursor({ plan: () => ({ flip: { bodyOffset: 0, bit: 0 } }), seen: (r) => seen.push(r) });
    const junk = Buffer.from('GET / HTTP/1.1\r\n\r\n');
    expect(Buffer.concat(cursor.push(junk)).equals(junk)).toBe(true);
    expect(cursor.failed).toMatch(/not a TLS record header/);
    expect(seen).toEqual([]);
  });

  it('previews bytes as hex and as a hex editor shows printable ASCII', () => {
    const b = Buffer.from('\x17\x03\x03hi there');
    expect(hexPreview(b, 4)).toBe('17 03 03 68 …');
    expect(asciiPreview(b)).toBe('...hi there');
  });
});
