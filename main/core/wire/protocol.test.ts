import { describe, expect, it } from 'vitest';

import { ALPN, parseFrame, PROTOCOL_VERSION } from './protocol';

const parse = (value: unknown) => parseFrame(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseFrame', () => {
  it('speaks version 1 over ALPN lockstep/1', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(ALPN).toBe('lockstep/1');
  });

  it.each([
    [{ type: 'hello', v: 1, name: 'Alice', caps: ['x'] }, { type: 'hello', v: 1, name: 'Alice', caps: ['x'] }],
    [{ type: 'hello', v: 1, name: 'openssl' }, { type: 'hello', v: 1, name: 'openssl', caps: [] }],
    [{ type: 'msg', id: 'm-1', at: '2024-05-01T10:00:00Z', text: 'meet at 6' }, null],
    [{ type: 'ack', id: 'm-1' }, null],
    [{ type: 'ping', n: 3 }, null],
    [{ type: 'ping' }, null],
    [{ type: 'pong', n: 3 }, null],
    [{ type: 'bye' }, null],
    [{ type: 'bye', reason: 'closing' }, null],
    [{ type: 'error', code: 'BAD_FRAME', message: 'not JSON' }, null],
  ])('parses %j', (input, expected) => {
    expect(parse(input)).toEqual({ kind: 'frame', frame: expected ?? input });
  });

  it('reads the pairing frames as unknown types, which a session ignores (PROTOCOL.md §6.2)', () => {
    expect(parse({ type: 'pair', v: 1, y: 'wH6C4kDLND7UBuTf6doG7Xka9BDZXp7NmQLbyHbvcH8=' })).toEqual({ kind: 'unknown', type: 'pair' });
    expect(parse({ type: 'pair-confirm', tag: 'x' })).toEqual({ kind: 'unknown', type: 'pair-confirm' });
  });

  it('drops fields a frame type does not define', () => {
    expect(parse({ type: 'ack', id: 'x', extra: 1 })).toEqual({ kind: 'frame', frame: { type: 'ack', id: 'x' } });
  });

  it.each([
    ['not JSON', '{"type":"msg"'],
    ['plain text', 'hello there'],
    ['a JSON string', '"hello"'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['an array', '[{"type":"ping"}]'],
    ['no type', '{"id":"x"}'],
    ['a numeric type', '{"type":1}'],
    ['hello without version', '{"type":"hello","name":"x"}'],
    ['hello with version 0', '{"type":"hello","v":0,"name":"x"}'],
    ['hello with a fractional version', '{"type":"hello","v":1.5,"name":"x"}'],
    ['hello with a name of 65 characters', JSON.stringify({ type: 'hello', v: 1, name: 'n'.repeat(65) })],
    ['msg without text', '{"type":"msg","id":"a","at":"now"}'],
    ['msg with empty text', '{"type":"msg","id":"a","at":"now","text":""}'],
    ['msg with 16001 characters', JSON.stringify({ type: 'msg', id: 'a', at: 'now', text: 't'.repeat(16_001) })],
    ['msg with an empty id', '{"type":"msg","id":"","at":"now","text":"x"}'],
    ['msg with a numeric id', '{"type":"msg","id":5,"at":"now","text":"x"}'],
    ['ack with a 65-character id', JSON.stringify({ type: 'ack', id: 'i'.repeat(65) })],
    ['ping with a string counter', '{"type":"ping","n":"1"}'],
    ['error without a message', '{"type":"error","code":"X"}'],
  ])('calls %s malformed', (_label, text) => {
    const parsed = parseFrame(text);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.message.length).toBeGreaterThan(0);
  });

  it('names the frame type and the field in a schema error', () => {
    const parsed = parse({ type: 'msg', id: 'a', at: 'now', text: 7 });
    expect(parsed).toMatchObject({ kind: 'malformed' });
    expect(parsed.kind === 'malformed' && parsed.message).toMatch(/^msg: text /);
  });

  it('reports an unknown type as unknown, not as an error, and truncates its name', () => {
    expect(parse({ type: 'typing', on: true })).toEqual({ kind: 'unknown', type: 'typing' });
    expect(parse({ type: 'z'.repeat(100) })).toEqual({ kind: 'unknown', type: 'z'.repeat(32) });
  });
});
