import { describe, expect, it } from 'vitest';

import { type DecodedFrame, encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from './framing';

const texts = (frames: DecodedFrame[]) => frames.map((f) => (f.kind === 'frame' ? f.text : `<${f.kind} ${f.size}>`));
const b = (s: string) => Buffer.from(s, 'utf8');

describe('FrameDecoder', () => {
  it('decodes one frame per line, several in one chunk', () => {
    const d = new FrameDecoder();
    expect(texts(d.push(b('{"a":1}\n{"b":2}\n{"c":3}\n')))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(d.bufferedBytes).toBe(0);
  });

  it('joins a frame split across chunks, byte by byte, including a split multi-byte character', () => {
    const d = new FrameDecoder();
    const line = b('{"text":"héllo ✓ 😀"}\n');
    const out: DecodedFrame[] = [];
    for (let i = 0; i < line.length; i += 1) out.push(...d.push(line.subarray(i, i + 1)));
    expect(texts(out)).toEqual(['{"text":"héllo ✓ 😀"}']);
    expect(out[0]).toMatchObject({ size: line.length - 1 });
  });

  it('keeps the tail of a chunk for the next one', () => {
    const d = new FrameDecoder();
    expect(texts(d.push(b('{"a":1}\n{"b"')))).toEqual(['{"a":1}']);
    expect(d.bufferedBytes).toBe(4);
    expect(texts(d.push(b(':2}\n{"c":3}')))).toEqual(['{"b":2}']);
    expect(texts(d.push(b('\n')))).toEqual(['{"c":3}']);
  });

  it('strips the CR of CRLF line ends and skips empty or blank lines', () => {
    const d = new FrameDecoder();
    expect(texts(d.push(b('\n\r\n   \n{"a":1}\r\n\n{"b":2}\r')))).toEqual(['{"a":1}']);
    expect(texts(d.push(b('\n')))).toEqual(['{"b":2}']);
  });

  it('accepts a line of exactly the limit', () => {
    const d = new FrameDecoder();
    const line = 'x'.repeat(MAX_FRAME_BYTES);
    const out = d.push(b(`${line}\n`));
    expect(out).toEqual([{ kind: 'frame', text: line, size: MAX_FRAME_BYTES }]);
  });

  it('reports a line one byte over the limit before its newline arrives, without buffering it', () => {
    const d = new FrameDecoder();
    const chunk = 4096;
    const total = MAX_FRAME_BYTES + 1;
    const reports: DecodedFrame[] = [];
    let maxBuffered = 0;
    for (let sent = 0; sent < total; sent += chunk) {
      reports.push(...d.push(Buffer.alloc(Math.min(chunk, total - sent), 0x78)));
      maxBuffered = Math.max(maxBuffered, d.bufferedBytes);
    }
    expect(reports).toHaveLength(1);
    expect(reports[0]!.kind).toBe('too-large');
    expect(reports[0]!.size).toBeGreaterThan(MAX_FRAME_BYTES);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    // The peer keeps streaming the same line: still nothing held, nothing reported twice.
    for (let i = 0; i < 64; i += 1) expect(d.push(Buffer.alloc(chunk, 0x78))).toEqual([]);
    expect(d.bufferedBytes).toBe(0);
    // The newline ends the bad line; the next line is a frame again.
    expect(texts(d.push(b('xxx\n{"ok":true}\n')))).toEqual(['{"ok":true}']);
  });

  it('reports an over-long line that arrives in one chunk with its newline, then recovers', () => {
    const d = new FrameDecoder();
    const out = d.push(Buffer.concat([Buffer.alloc(MAX_FRAME_BYTES + 10, 0x79), b('\n{"next":1}\n')]));
    expect(texts(out)).toEqual([`<too-large ${MAX_FRAME_BYTES + 10}>`, '{"next":1}']);
    expect(d.bufferedBytes).toBe(0);
  });

  it('honours a smaller limit given to the constructor', () => {
    const d = new FrameDecoder(8);
    expect(texts(d.push(b('12345678\n123456789\nok\n')))).toEqual(['12345678', '<too-large 9>', 'ok']);
  });
});

describe('encodeFrame', () => {
  it('writes one JSON line that the decoder reads back', () => {
    const frame = { type: 'msg', id: 'm1', at: '2024-01-01T00:00:00.000Z', text: 'line one\nline two ✓' };
    const bytes = encodeFrame(frame);
    expect(bytes.at(-1)).toBe(0x0a);
    expect(bytes.subarray(0, -1).includes(0x0a)).toBe(false);
    const [decoded] = new FrameDecoder().push(bytes);
    expect(decoded?.kind === 'frame' && JSON.parse(decoded.text)).toEqual(frame);
  });

  it('refuses a frame over 64 KiB with FRAME_TOO_LARGE, and allows one at the limit', () => {
    const overhead = Buffer.byteLength(JSON.stringify({ t: '' }));
    expect(encodeFrame({ t: 'x'.repeat(MAX_FRAME_BYTES - overhead) })).toHaveLength(MAX_FRAME_BYTES + 1);
    expect(() => encodeFrame({ t: 'x'.repeat(MAX_FRAME_BYTES - overhead + 1) })).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
    // Counted in UTF-8 bytes, not characters.
    expect(() => encodeFrame({ t: '✓'.repeat(MAX_FRAME_BYTES / 3 + 1) })).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
  });
});
