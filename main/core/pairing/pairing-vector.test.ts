/**
 * The Lockstep-level pairing test vector (PROTOCOL.md §6.8, `test/fixtures/pairing-vector.json`):
 * fixed pins, exporter value, code and scalars → generator, both shares, K, ISK, both tags and the
 * four frames. The fixture's values are recomputed here by a second implementation written from
 * PROTOCOL.md (`test/helpers/pairing-reference.ts`), then the engine's own pairing runs both
 * roles against each other on the fixture's inputs and must send exactly the fixture's frames.
 */
import { describe, expect, it } from 'vitest';

import vector from '../../../test/fixtures/pairing-vector.json';
import { referencePairing } from '../../../test/helpers/pairing-reference';
import { calculateGenerator, generatorString, DSI } from './cpace';
import { normalizePairingCode } from './pairing-code';
import { createPairing, type PairingFrame } from './pairing-protocol';

const { input, expected } = vector;
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** The engine's randomness for one side: exactly that side's fixed scalar bytes. */
const fixed = (scalarHex: string) => () => hex(scalarHex);

function enginePairing(role: 'dialer' | 'listener') {
  const dialer = role === 'dialer';
  return createPairing({
    role,
    code: input.typed,
    ownPin: dialer ? input.dialerPin : input.listenerPin,
    peerPin: dialer ? input.listenerPin : input.dialerPin,
    exporter: hex(input.exporter),
    random: fixed(dialer ? input.ya : input.yb),
  });
}

describe('the Lockstep pairing test vector', () => {
  it('holds the values a second implementation, written from PROTOCOL.md, computes', () => {
    const { typed: _typed, ...referenceInput } = input;
    const { frames: _frames, ...values } = expected;
    expect(referencePairing(referenceInput)).toEqual(values);
  });

  it('types the code into the PRS it names', () => {
    expect(normalizePairingCode(input.typed)).toBe(input.prs);
  });

  it("gives the engine's CPace primitives the fixture's generator", () => {
    const prs = new TextEncoder().encode(input.prs);
    expect(toHex(generatorString(DSI, prs, hex(expected.ci), hex(input.exporter)))).toBe(expected.generatorString);
    expect(toHex(calculateGenerator(prs, hex(expected.ci), hex(input.exporter)).toBytes())).toBe(expected.generator);
  });

  it('makes the engine send exactly the four frames of the vector, and both sides succeed', () => {
    const dialer = enginePairing('dialer');
    const listener = enginePairing('listener');
    const sent: { from: string; frame: PairingFrame }[] = [];
    const record = (from: string, frames: PairingFrame[]) => frames.forEach((frame) => sent.push({ from, frame }));

    // The order PROTOCOL.md §6.4 gives: the dialer's pair first; the listener answers it.
    const dialerPair = dialer.start();
    record('dialer', dialerPair);
    const listenerStep = listener.receive(dialerPair[0]);
    record('listener', listenerStep.send);
    const dialerStep = dialer.receive(listenerStep.send[0]);
    record('dialer', dialerStep.send);
    const listenerDone = listener.receive(dialerStep.send[0]);
    record('listener', listenerDone.send);
    const dialerDone = dialer.receive(listenerDone.send[0]);

    expect(sent).toEqual(expected.frames);
    expect(listenerDone.done).toEqual({ ok: true, peerPin: input.dialerPin });
    expect(dialerDone.done).toEqual({ ok: true, peerPin: input.listenerPin });
  });

  it("fails the listener on a dialer tag that differs from the vector's in one bit", () => {
    const listener = enginePairing('listener');
    listener.receive(expected.frames[0]!.frame);
    const tag = Buffer.from(expected.Ta, 'hex');
    tag[0] = tag[0]! ^ 1;
    const step = listener.receive({ type: 'pair-confirm', tag: tag.toString('base64') });
    expect(step.done).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'confirmation-failed' });
    expect(step.send).toEqual([expect.objectContaining({ type: 'error', code: 'PAIRING_FAILED' })]);
  });
});
