/** One CPace pairing attempt as a state machine: success, failures on both sides, a relay, the argument checks and the frame schemas. */
import { describe, expect, it } from 'vitest';

import { errorCode } from '../errors';
import { ErrorFrame } from '../wire/protocol';
import { PAIRING_FAILED_FRAME, PairConfirmFrame, PairFrame, type PairingRole } from './pairing-protocol';
import { ALICE, BOB, EVE, exporter, failed, flipBit, pair, run, wire } from './pairing-test-kit';

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
