import { createHash, randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { errorCode } from '../errors';
import { ErrorFrame } from '../wire/protocol';
import {
  createPairing,
  PAIRING_FAILED_FRAME,
  PairConfirmFrame,
  PairFrame,
  type Pairing,
  type PairingOptions,
  type PairingResult,
  type PairingRole,
} from './pairing-protocol';

const pinOf = (seed: string) => `sha256/${createHash('sha256').update(seed).digest('base64')}`;
const ALICE = pinOf('alice');
const BOB = pinOf('bob');
const EVE = pinOf('eve');
const CODE = 'orbit-maple-tunnel';
const exporter = () => Uint8Array.from(randomBytes(32));

/** What crosses the wire: JSON text, parsed again on the other side. */
const wire = (frame: unknown): unknown => JSON.parse(JSON.stringify(frame));

type Frame = Record<string, unknown>;
interface Sent {
  from: 'A' | 'B';
  frame: Frame;
}
type Tamper = (frame: Frame, index: number) => Frame | undefined;

/**
 * Two attempts joined by a perfect wire: frames go one at a time, alternating directions, until
 * both queues are empty. `aToB`/`bToA` may rewrite (or drop, with undefined) each frame in flight.
 */
function run(a: Pairing, b: Pairing, tamper: { aToB?: Tamper; bToA?: Tamper } = {}) {
  const log: Sent[] = [];
  const toB: Frame[] = [];
  const toA: Frame[] = [];
  let nAB = 0;
  let nBA = 0;
  const post = (from: 'A' | 'B', frames: unknown[]) => {
    for (const f of frames) {
      const frame = wire(f) as Frame;
      log.push({ from, frame });
      const t = from === 'A' ? tamper.aToB : tamper.bToA;
      const index = from === 'A' ? nAB++ : nBA++;
      const delivered = t ? t(frame, index) : frame;
      if (delivered) (from === 'A' ? toB : toA).push(delivered);
    }
  };
  post('A', a.start());
  post('B', b.start());
  for (let guard = 0; (toA.length || toB.length) && guard < 100; guard += 1) {
    const fb = toB.shift();
    if (fb) post('B', b.receive(fb).send);
    const fa = toA.shift();
    if (fa) post('A', a.receive(fa).send);
  }
  return { a: a.result, b: b.result, log };
}

function pair(role: PairingRole, overrides: Partial<PairingOptions> = {}): Pairing {
  const defaults: PairingOptions =
    role === 'dialer'
      ? { role, code: CODE, ownPin: ALICE, peerPin: BOB, exporter: new Uint8Array(32).fill(7) }
      : { role, code: CODE, ownPin: BOB, peerPin: ALICE, exporter: new Uint8Array(32).fill(7) };
  return createPairing({ ...defaults, ...overrides });
}

const failed = (result: PairingResult | undefined) => {
  expect(result).toBeDefined();
  expect(result!.ok).toBe(false);
  return result as Extract<PairingResult, { ok: false }>;
};

const flipBit = (b64: string, bit: number): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('base64');
};

describe('the right code', () => {
  it('pins each side to the other, in four frames, in the specified order', () => {
    const x = exporter();
    const { a, b, log } = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x }));
    expect(a).toEqual({ ok: true, peerPin: BOB });
    expect(b).toEqual({ ok: true, peerPin: ALICE });
    expect(log.map((s) => `${s.from}:${s.frame.type as string}`)).toEqual(['A:pair', 'B:pair', 'A:pair-confirm', 'B:pair-confirm']);
    expect(PairFrame.parse(log[0]!.frame)).toEqual({ type: 'pair', v: 1, y: expect.any(String) });
    expect(PairFrame.parse(log[1]!.frame).y).not.toBe(PairFrame.parse(log[0]!.frame).y);
    const ta = PairConfirmFrame.parse(log[2]!.frame).tag;
    const tb = PairConfirmFrame.parse(log[3]!.frame).tag;
    expect(Buffer.from(ta, 'base64')).toHaveLength(64);
    expect(ta).not.toBe(tb); // a different tag for each role
  });

  it('works however each person typed the code', () => {
    const x = exporter();
    const { a, b } = run(
      pair('dialer', { exporter: x, code: 'Orbit  MAPLE tunn' }),
      pair('listener', { exporter: x, code: 'orbit-maple-tunnel' }),
    );
    expect(a?.ok && b?.ok).toBe(true);
  });

  it('uses fresh randomness every attempt (different shares and tags for the same inputs)', () => {
    const x = exporter();
    const one = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x })).log;
    const two = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x })).log;
    for (let i = 0; i < 4; i += 1) expect(two[i]!.frame).not.toEqual(one[i]!.frame);
  });

  it('starts by itself when a frame arrives before start()', () => {
    const x = exporter();
    const d = pair('dialer', { exporter: x });
    const l = pair('listener', { exporter: x });
    const [ya] = d.start();
    const step = l.receive(wire(ya)); // the listener never called start()
    expect(step.send.map((f) => f.type)).toEqual(['pair']);
    const afterYb = d.receive(wire(step.send[0]));
    const final = l.receive(wire(afterYb.send[0]));
    expect(final.done).toEqual({ ok: true, peerPin: ALICE });
    expect(d.receive(wire(final.send[0])).done).toEqual({ ok: true, peerPin: BOB });
  });
});

describe('failures end with PAIRING_FAILED on both sides', () => {
  it('a wrong code: the listener refuses the dialer tag and sends no tag of its own', () => {
    const x = exporter();
    const { a, b, log } = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x, code: 'orbit-maple-turtle' }));
    expect(failed(b).reason).toBe('confirmation-failed');
    expect(failed(a).reason).toBe('peer-failed');
    expect(failed(a).code).toBe('PAIRING_FAILED');
    expect(log.filter((s) => s.from === 'B').map((s) => s.frame.type)).toEqual(['pair', 'error']);
    expect(log.at(-1)!.frame).toEqual(PAIRING_FAILED_FRAME);
  });

  it('different exporter values (two TLS connections, not one)', () => {
    const { a, b } = run(pair('dialer', { exporter: exporter() }), pair('listener', { exporter: exporter() }));
    expect(failed(a).reason).toBe('peer-failed');
    expect(failed(b).reason).toBe('confirmation-failed');
  });

  it('a different view of the pins (the dialer saw another certificate than the listener has)', () => {
    const x = exporter();
    const { a, b } = run(pair('dialer', { exporter: x, peerPin: EVE }), pair('listener', { exporter: x }));
    expect(failed(a).ok).toBe(false);
    expect(failed(b).ok).toBe(false);
  });

  it('swapped roles (both think they are the dialer) fail too', () => {
    const x = exporter();
    const { a, b } = run(pair('dialer', { exporter: x }), pair('dialer', { exporter: x, ownPin: BOB, peerPin: ALICE }));
    expect(failed(a).ok).toBe(false);
    expect(failed(b).ok).toBe(false);
  });

  it.each([0, 1, 100, 254, 255])('a tampered Ya (bit %i flipped in flight)', (bit) => {
    const x = exporter();
    const { a, b } = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x }), {
      aToB: (f) => (f.type === 'pair' ? { ...f, y: flipBit(f.y as string, bit) } : f),
    });
    expect(failed(a).ok).toBe(false);
    expect(failed(b).ok).toBe(false);
  });

  it.each([0, 1, 100, 254, 255])('a tampered Yb (bit %i flipped in flight)', (bit) => {
    const x = exporter();
    const { a, b } = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x }), {
      bToA: (f) => (f.type === 'pair' ? { ...f, y: flipBit(f.y as string, bit) } : f),
    });
    expect(failed(a).ok).toBe(false);
    expect(failed(b).ok).toBe(false);
  });

  it('a tampered dialer tag', () => {
    const x = exporter();
    const { a, b } = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x }), {
      aToB: (f) => (f.type === 'pair-confirm' ? { ...f, tag: flipBit(f.tag as string, 7) } : f),
    });
    expect(failed(b).reason).toBe('confirmation-failed');
    expect(failed(a).reason).toBe('peer-failed');
  });

  it('a tampered listener tag fails the dialer (the listener, having checked the dialer, has committed)', () => {
    const x = exporter();
    const { a, b } = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x }), {
      bToA: (f) => (f.type === 'pair-confirm' ? { ...f, tag: flipBit(f.tag as string, 7) } : f),
    });
    expect(failed(a).reason).toBe('confirmation-failed');
    expect(b).toEqual({ ok: true, peerPin: ALICE });
  });

  it('sends the same error frame whatever the cause', () => {
    const x = exporter();
    const wrongCode = run(pair('dialer', { exporter: x }), pair('listener', { exporter: x, code: 'orbit-maple-turtle' })).log;
    const relay = run(pair('dialer', { exporter: exporter() }), pair('listener', { exporter: exporter() })).log;
    const d = pair('dialer');
    d.start();
    const malformed = d.receive({ type: 'pair', v: 1, y: 'nope' }).send;
    const errors = [...wrongCode, ...relay].filter((s) => s.frame.type === 'error').map((s) => s.frame);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of [...errors, ...malformed]) expect(e).toEqual(PAIRING_FAILED_FRAME);
    expect(ErrorFrame.parse(PAIRING_FAILED_FRAME)).toEqual(PAIRING_FAILED_FRAME);
  });
});

describe('a relay (Eve) with her own certificate', () => {
  /** Alice dials Eve, Eve dials Bob; two TLS connections, Eve's pin on each, two exporters. */
  const legs = (exporters: { alice: Uint8Array; bob: Uint8Array }) => ({
    alice: pair('dialer', { ownPin: ALICE, peerPin: EVE, exporter: exporters.alice }),
    bob: pair('listener', { ownPin: BOB, peerPin: EVE, exporter: exporters.bob }),
  });

  it('forwarding every frame verbatim between the two legs: both fail', () => {
    const { alice, bob } = legs({ alice: exporter(), bob: exporter() });
    // Verbatim forwarding joins Alice's attempt to Bob's, frame for frame.
    const { a, b, log } = run(alice, bob);
    expect(failed(a).code).toBe('PAIRING_FAILED');
    expect(failed(b).code).toBe('PAIRING_FAILED');
    expect(log.some((s) => s.from === 'B' && s.frame.type === 'pair-confirm')).toBe(false);
  });

  it('is caught by the pins alone (even were the exporters equal) and by the exporters alone', () => {
    const same = exporter();
    const byPins = run(
      pair('dialer', { ownPin: ALICE, peerPin: EVE, exporter: same }),
      pair('listener', { ownPin: BOB, peerPin: EVE, exporter: same }),
    );
    expect(byPins.a?.ok || byPins.b?.ok).toBe(false);
    const byExporter = run(pair('dialer', { exporter: exporter() }), pair('listener', { exporter: exporter() }));
    expect(byExporter.a?.ok || byExporter.b?.ok).toBe(false);
  });

  it('guessing the code as a dialer: one guess, and no listener tag to test guesses against', () => {
    const x = exporter();
    const bob = pair('listener', { ownPin: BOB, peerPin: EVE, exporter: x });
    const eve = pair('dialer', { ownPin: EVE, peerPin: BOB, exporter: x, code: 'abandon-zoo-ability' });
    const { a, b, log } = run(eve, bob);
    expect(failed(a).ok).toBe(false);
    expect(failed(b).reason).toBe('confirmation-failed');
    expect(log.filter((s) => s.from === 'B').map((s) => s.frame.type)).toEqual(['pair', 'error']);
    // A second guess on the same attempt is not heard.
    const second = pair('dialer', { ownPin: EVE, peerPin: BOB, exporter: x, code: 'orbit-maple-tunnel' }).start();
    expect(bob.receive(wire(second[0]))).toEqual({ send: [] });
    expect(failed(bob.result).reason).toBe('confirmation-failed');
  });

  it('a second `pair` frame before confirming fails the attempt', () => {
    const x = exporter();
    const bob = pair('listener', { ownPin: BOB, peerPin: EVE, exporter: x });
    bob.start();
    const guess1 = pair('dialer', { ownPin: EVE, peerPin: BOB, exporter: x, code: 'abandon-zoo-ability' }).start();
    const guess2 = pair('dialer', { ownPin: EVE, peerPin: BOB, exporter: x, code: 'abandon-zoo-able' }).start();
    expect(bob.receive(wire(guess1[0])).send).toEqual([]);
    const step = bob.receive(wire(guess2[0]));
    expect(step.done).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'unexpected-frame' });
    expect(step.send).toEqual([PAIRING_FAILED_FRAME]);
  });

  it('guessing the code as a listener fails the dialer', () => {
    const x = exporter();
    const { a, b } = run(
      pair('dialer', { ownPin: ALICE, peerPin: EVE, exporter: x }),
      pair('listener', { ownPin: EVE, peerPin: ALICE, exporter: x, code: 'abandon-zoo-ability' }),
    );
    expect(failed(a).ok).toBe(false);
    expect(failed(b).ok).toBe(false);
  });

  it('reflecting the dialer’s own share back to it fails', () => {
    const alice = pair('dialer', { ownPin: ALICE, peerPin: EVE });
    const [ya] = alice.start();
    const step = alice.receive(wire(ya));
    expect(step.done).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'invalid-share' });
  });

  it('reflecting the dialer’s own tag back to it fails', () => {
    const x = exporter();
    const alice = pair('dialer', { ownPin: ALICE, peerPin: EVE, exporter: x });
    const eve = pair('listener', { ownPin: EVE, peerPin: ALICE, exporter: x, code: 'abandon-zoo-ability' });
    alice.start();
    const [yb] = eve.start();
    const [ta] = alice.receive(wire(yb)).send;
    expect(ta?.type).toBe('pair-confirm');
    expect(alice.receive(wire(ta)).done).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'confirmation-failed' });
  });
});

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

describe('createPairing arguments', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
      return undefined;
    } catch (e) {
      return errorCode(e);
    }
  };

  it('rejects a bad code with BAD_PAIRING_CODE', () => {
    expect(code(() => pair('dialer', { code: '' }))).toBe('BAD_PAIRING_CODE');
    expect(code(() => pair('dialer', { code: 'not a code' }))).toBe('BAD_PAIRING_CODE');
  });

  it('rejects bad pins, the same pin twice, a bad exporter and a bad role', () => {
    expect(code(() => pair('dialer', { ownPin: 'sha256/short' }))).toBe('BAD_PIN');
    expect(code(() => pair('dialer', { peerPin: `sha256/${'A'.repeat(42)}B=` }))).toBe('BAD_PIN'); // not canonical
    expect(code(() => pair('dialer', { peerPin: ALICE }))).toBe('BAD_ARGUMENT');
    expect(code(() => pair('dialer', { exporter: new Uint8Array(16) }))).toBe('BAD_ARGUMENT');
    expect(code(() => pair('dialer', { exporter: 'abc' as unknown as Uint8Array }))).toBe('BAD_ARGUMENT');
    expect(code(() => pair('dialer', { role: 'server' as PairingRole }))).toBe('BAD_ARGUMENT');
  });
});

describe('frame schemas', () => {
  it('fit the sizes the CPace module uses', async () => {
    const { ELEMENT_BYTES, HASH_BYTES } = await import('./cpace');
    expect(PairFrame.safeParse({ type: 'pair', v: 1, y: Buffer.alloc(ELEMENT_BYTES).toString('base64') }).success).toBe(true);
    expect(PairConfirmFrame.safeParse({ type: 'pair-confirm', tag: Buffer.alloc(HASH_BYTES).toString('base64') }).success).toBe(true);
    expect(PairFrame.safeParse({ type: 'pair', v: 1, y: Buffer.alloc(ELEMENT_BYTES + 1).toString('base64') }).success).toBe(false);
  });
});
