/** Malformed, unexpected or hostile frames end a pairing attempt with PAIRING_FAILED; none of them throws. */
import { describe, expect, it } from 'vitest';

import { PAIRING_FAILED_FRAME, type Pairing } from './pairing-protocol';
import { BOB, exporter, type Frame, pair, run, wire } from './pairing-test-kit';

describe('malformed and unexpected input fails the attempt, never throws', () => {
  const validShare = () => pair('dialer', { exporter: exporter() }).start()[0] as Frame;
  const cases: [string, () => unknown][] = [
    ['undefined', () => undefined],
    ['null', () => null],
    ['a number', () => 42],
    ['a string', () => '{"type":"pair"}'],
    ['an array', () => [{ type: 'pair' }]],
    ['an empty object', () => ({})],
    ['a pair without y', () => ({ type: 'pair', v: 1 })],
    ['a pair without v', () => ({ type: 'pair', y: validShare().y })],
    ['a pair with a string v', () => ({ type: 'pair', v: '1', y: validShare().y })],
    ['y too short', () => ({ type: 'pair', v: 1, y: 'AAAA' })],
    ['y of 33 bytes', () => ({ type: 'pair', v: 1, y: Buffer.alloc(33, 1).toString('base64') })],
    ['y in base64url', () => ({ type: 'pair', v: 1, y: `${'_'.repeat(43)}=` })],
    ['y not canonical base64', () => ({ type: 'pair', v: 1, y: `${'A'.repeat(42)}B=` })],
    ['y as a number array', () => ({ type: 'pair', v: 1, y: Array.from({ length: 32 }, () => 1) })],
    ['a hello', () => ({ type: 'hello', v: 1, name: 'Eve' })],
    ['a msg', () => ({ type: 'msg', id: 'm', at: 'now', text: 'hi' })],
    ['an unknown type', () => ({ type: 'pair-please', y: 'x' })],
    ['a confirm before any share', () => ({ type: 'pair-confirm', tag: Buffer.alloc(64).toString('base64') })],
    ['a huge string', () => ({ type: 'pair', v: 1, y: 'A'.repeat(100_000) })],
    ['a prototype-polluting key', () => JSON.parse('{"__proto__":{"type":"pair"},"type":"pair","v":1}')],
  ];

  it.each(cases)('%s, received by the dialer', (_label, make) => {
    const d = pair('dialer');
    d.start();
    let step: ReturnType<Pairing['receive']> | undefined;
    expect(() => (step = d.receive(make()))).not.toThrow();
    expect(step!.done).toMatchObject({ ok: false, code: 'PAIRING_FAILED' });
    expect(step!.send).toEqual([PAIRING_FAILED_FRAME]);
  });

  it.each(cases)('%s, received by the listener', (_label, make) => {
    const l = pair('listener');
    l.start();
    const step = l.receive(make());
    expect(step.done).toMatchObject({ ok: false, code: 'PAIRING_FAILED' });
  });

  it.each([
    ['the neutral element', Buffer.alloc(32).toString('base64')],
    ['a non-canonical encoding (draft B.3.11 Y_i1)', Buffer.from('2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c', 'hex').toString('base64')],
    ['bytes that decode to nothing', Buffer.alloc(32, 0xff).toString('base64')],
  ])('an invalid share: %s', (_label, y) => {
    for (const role of ['dialer', 'listener'] as const) {
      const p = pair(role);
      p.start();
      expect(p.receive({ type: 'pair', v: 1, y }).done).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'invalid-share' });
    }
  });

  it('a pair of another version', () => {
    const l = pair('listener');
    l.start();
    expect(l.receive({ ...validShare(), v: 2 }).done).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'version' });
  });

  it.each([
    ['garbage', { type: 'pair-confirm', tag: 'x' }],
    ['a 32-byte tag', { type: 'pair-confirm', tag: Buffer.alloc(32).toString('base64') }],
    ['a zero tag', { type: 'pair-confirm', tag: Buffer.alloc(64).toString('base64') }],
    ['a second pair', null],
  ])('in place of the dialer tag: %s', (_label, frame) => {
    const x = exporter();
    const d = pair('dialer', { exporter: x });
    const l = pair('listener', { exporter: x });
    l.start();
    l.receive(wire(d.start()[0]));
    const step = l.receive(frame ?? validShare());
    expect(step.done).toMatchObject({ ok: false, code: 'PAIRING_FAILED' });
    expect(step.send).toEqual([PAIRING_FAILED_FRAME]);
  });

  it('an error frame from the peer ends the attempt without an answer', () => {
    const d = pair('dialer');
    d.start();
    const step = d.receive({ type: 'error', code: 'PAIRING_FAILED', message: 'no' });
    expect(step).toEqual({ send: [], done: { ok: false, code: 'PAIRING_FAILED', reason: 'peer-failed' } });
  });

  it('after the end, frames are ignored and the result stays', () => {
    const x = exporter();
    const d = pair('dialer', { exporter: x });
    const l = pair('listener', { exporter: x });
    const { a } = run(d, l);
    expect(a?.ok).toBe(true);
    expect(d.receive({ type: 'error', code: 'X', message: 'late' })).toEqual({ send: [] });
    expect(d.receive(validShare())).toEqual({ send: [] });
    expect(d.result).toEqual({ ok: true, peerPin: BOB });
  });

  it('abort() fails a running attempt once and tells the peer', () => {
    const d = pair('dialer');
    d.start();
    expect(d.abort()).toEqual({ send: [PAIRING_FAILED_FRAME], done: { ok: false, code: 'PAIRING_FAILED', reason: 'aborted' } });
    expect(d.abort()).toEqual({ send: [] });
    expect(d.start()).toEqual([]);
  });
});

