/** Shared by the pairing state-machine tests: pins, a frame-passing loop with optional tampering, and helpers. */
import { createHash, randomBytes } from 'node:crypto';

import { expect } from 'vitest';

import { createPairing, type Pairing, type PairingOptions, type PairingResult, type PairingRole } from './pairing-protocol';

export const pinOf = (seed: string) => `sha256/${createHash('sha256').update(seed).digest('base64')}`;
export const ALICE = pinOf('alice');
export const BOB = pinOf('bob');
export const EVE = pinOf('eve');
export const CODE = 'orbit-maple-tunnel';
export const exporter = () => Uint8Array.from(randomBytes(32));

/** What crosses the wire: JSON text, parsed again on the other side. */
export const wire = (frame: unknown): unknown => JSON.parse(JSON.stringify(frame));

export type Frame = Record<string, unknown>;
interface Sent {
  from: 'A' | 'B';
  frame: Frame;
}
export type Tamper = (frame: Frame, index: number) => Frame | undefined;

/**
 * Two attempts joined by a perfect wire: frames go one at a time, alternating directions, until
 * both queues are empty. `aToB`/`bToA` may rewrite (or drop, with undefined) each frame in flight.
 */
export function run(a: Pairing, b: Pairing, tamper: { aToB?: Tamper; bToA?: Tamper } = {}) {
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

export function pair(role: PairingRole, overrides: Partial<PairingOptions> = {}): Pairing {
  const defaults: PairingOptions =
    role === 'dialer'
      ? { role, code: CODE, ownPin: ALICE, peerPin: BOB, exporter: new Uint8Array(32).fill(7) }
      : { role, code: CODE, ownPin: BOB, peerPin: ALICE, exporter: new Uint8Array(32).fill(7) };
  return createPairing({ ...defaults, ...overrides });
}

export const failed = (result: PairingResult | undefined) => {
  expect(result).toBeDefined();
  expect(result!.ok).toBe(false);
  return result as Extract<PairingResult, { ok: false }>;
};

export const flipBit = (b64: string, bit: number): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('base64');
};

