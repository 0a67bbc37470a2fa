/**
 * The panel on a real recorded session (renderer/test/pq-session.json, written by
 * test/key-exchange/record-session.ts from two real engines), loaded the way the presenter loads
 * a saved session: the hybrid handshake explained as one (both parts of each share named, the
 * verdict on a recording), the classical comparison side by side, Eve's lane showing the larger
 * hellos. Expected sizes come from FIPS 203 (ML-KEM-768: k = 3, du = 10, dv = 4), not the parser.
 */
import { describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import recorded from '../test/pq-session.json';
import { comparisonRows, latestComparison } from './handshake-comparison';
import { parseSession } from './replay-session';
import { buildRows, type Step } from './sequence-steps';
import { buildStory } from './stage-story';
import { keyStory } from './wire-model';

const ML_KEM_768_EK = 384 * 3 + 32;
const ML_KEM_768_CT = 32 * (10 * 3 + 4);
const n = (x: number) => x.toLocaleString('en-US');

const parsed = parseSession(JSON.stringify(recorded));
if (!parsed.ok) throw new Error(parsed.error);
const events: LockstepEvent[] = parsed.session.events;

const secures = events.filter((e) => e.kind === 'tls.secure');
const steps = (conn: string): Step[] => buildRows(events, conn).flatMap((r) => (r.type === 'step' ? [r.step] : []));
const stepTitled = (all: Step[], title: string) => {
  const step = all.find((s) => s.title === title);
  if (!step) throw new Error(`no step "${title}" among ${all.map((s) => s.title).join(', ')}`);
  return step;
};
const detail = (step: Step, label: string) => step.details().find((d) => d.label === label)?.value;

describe('the panel on a recorded hybrid handshake', () => {
  const conn = secures[0]!.conn!;

  it('phase 2 names both parts of each key share and explains the hybrid', () => {
    const all = steps(conn);
    const ch = stepTitled(all, 'ClientHello');
    expect(ch.phase).toBe(2);
    expect(ch.note).toContain(`X25519MLKEM768 (${n(ML_KEM_768_EK + 32)} bytes = ML-KEM-768 encapsulation key ${n(ML_KEM_768_EK)} + X25519 public key 32)`);
    expect(ch.explain).toMatch(/ML-KEM-768 encapsulation key \(FIPS 203, post-quantum\)/);
    const sh = stepTitled(all, 'ServerHello');
    expect(sh.note).toContain(`X25519MLKEM768 (${n(ML_KEM_768_CT + 32)} bytes = ML-KEM-768 ciphertext ${n(ML_KEM_768_CT)} + X25519 public key 32)`);
    expect(sh.explain).toContain('the session key stays secret if either of the two holds');
  });

  it('the handshake step gives the verdict on a recording, and says the signatures are still classical', () => {
    const done = stepTitled(steps(conn), 'Handshake complete');
    expect(done.note).toContain('X25519MLKEM768 (post-quantum hybrid)');
    expect(done.explain).toContain('harvest now, decrypt later');
    expect(detail(done, 'Group chosen (ServerHello)')).toBe('X25519MLKEM768');
    expect(detail(done, 'Against a recording')).toMatch(/^Safe against harvest now, decrypt later/);
    expect(detail(done, 'Certificates and signatures')).toMatch(/still classical ECDSA P-256.*during the connection/);
  });

  it('"Where the keys come from" names the ML-KEM-768 and X25519 parts and the hybrid secret', () => {
    const keys = keyStory(events, conn);
    expect(keys.hybrid).toBe(true);
    expect(keys.chain[0]!.title).toBe('Hybrid shared secret: ML-KEM-768 secret ‖ X25519 secret');
    const parts = (who: string, group: string) => keys.shares.find((s) => s.who === who && s.group === group)!.parts.map((p) => [p.name, p.length]);
    expect(parts('ClientHello', 'X25519MLKEM768')).toEqual([['ML-KEM-768 encapsulation key', ML_KEM_768_EK], ['X25519 public key', 32]]);
    expect(parts('ServerHello', 'X25519MLKEM768')).toEqual([['ML-KEM-768 ciphertext', ML_KEM_768_CT], ['X25519 public key', 32]]);
  });
});

describe('the panel on the recorded classical comparison', () => {
  const comparison = latestComparison(events)!;

  it('puts the classical handshake beside the hybrid one: the ML-KEM ciphertext is the ServerHello difference', () => {
    const { hybrid, classical } = comparison.detail.comparison;
    expect(hybrid?.group).toBe('X25519MLKEM768');
    expect(classical.group).toBe('X25519');
    expect(hybrid!.serverHelloBytes - classical.serverHelloBytes).toBe(ML_KEM_768_CT);
    expect(hybrid!.clientHelloBytes - classical.clientHelloBytes).toBeGreaterThanOrEqual(ML_KEM_768_EK);
    const verdicts = comparisonRows(hybrid, classical).find((r) => r.label === 'A recording, later')!;
    expect(verdicts.hybrid).toMatch(/^Safe against harvest now/);
    expect(verdicts.classical).toMatch(/^Classical only \(X25519\).*harvest now, decrypt later/);
  });

  it("the classical connection's own steps say classical only, and its verdict step lists both columns", () => {
    const all = steps(comparison.conn!);
    expect(stepTitled(all, 'ServerHello').explain).not.toContain('ML-KEM');
    expect(stepTitled(all, 'Handshake complete').explain).toContain('Classical only (X25519)');
    const verdict = stepTitled(all, 'Classical-only handshake, compared');
    expect(verdict.details().map((d) => d.label)).toEqual(['Engine says', 'Group', 'ClientHello', 'ServerHello', 'Handshake time', 'A recording, later']);
    expect(keyStory(events, comparison.conn).chain[0]!.title).toBe('ECDHE shared secret');
  });

  it('the connection after the comparison is hybrid again', () => {
    const after = secures.filter((e) => e.seq > comparison.seq && e.conn?.startsWith('out'));
    expect(after.length).toBeGreaterThan(0);
    for (const e of after) expect(e.kind === 'tls.secure' && e.detail.group).toBe('X25519MLKEM768');
  });
});

describe("Eve's lane on the recorded eavesdropper scene", () => {
  it('shows the larger hellos, and how much of each is the ML-KEM key', () => {
    const eve = buildStory(events, { selfName: 'Alice' }).beats.filter((b) => b.lane === 'eve');
    const note = (title: string) => eve.find((b) => b.title === title)?.note ?? '';
    expect(note('Eve reads ClientHello')).toMatch(new RegExp(`in the clear: 1,\\d{3} bytes, ${n(ML_KEM_768_EK)} of them the ML-KEM-768 encapsulation key`));
    expect(note('Eve reads ServerHello')).toMatch(new RegExp(`in the clear: 1,\\d{3} bytes, ${n(ML_KEM_768_CT)} of them the ML-KEM-768 ciphertext`));
  });
});
