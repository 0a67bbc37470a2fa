/**
 * The benchmark's second table: Lockstep against the floor (floor.ts: raw TLS that also seals and
 * stores every message, no Lockstep code) and the same engine with its message writes switched
 * off (storeInternals), so the table shows what durability costs and what the rest costs.
 */
import { fmtMs, fmtRate, fmtRatio, median, table } from './stats';

export interface CostSamples {
  floor: { rate: number[]; cpu: number[] };
  nocommit: { rate: number[]; cpu: number[] };
}

interface Figures {
  p50: number;
  rate: number;
  cpu: number;
}

export interface CostInput {
  raw: Figures;
  lockstep: Figures;
  floorP50: number;
  noCommitP50: number;
  samples: CostSamples;
}

const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');

export function costTable(input: CostInput): string {
  const { raw, lockstep } = input;
  const floor: Figures = { p50: input.floorP50, rate: median(input.samples.floor.rate), cpu: median(input.samples.floor.cpu) };
  const noCommit: Figures = { p50: input.noCommitP50, rate: median(input.samples.nocommit.rate), cpu: median(input.samples.nocommit.cpu) };
  const rows = [
    ['(c) msg→ack round trip p50', fmtMs(raw.p50), fmtMs(floor.p50), fmtMs(noCommit.p50), fmtMs(lockstep.p50), fmtRatio(lockstep.p50 / raw.p50), fmtRatio(lockstep.p50 / floor.p50), '≤ 1.30× floor', verdict(lockstep.p50 / floor.p50 <= 1.3)],
    ['(d) one-way messages per second', fmtRate(raw.rate), fmtRate(floor.rate), fmtRate(noCommit.rate), fmtRate(lockstep.rate), fmtRatio(lockstep.rate / raw.rate), fmtRatio(lockstep.rate / floor.rate), '≥ 0.70× floor', verdict(lockstep.rate / floor.rate >= 0.7)],
    ['(d) CPU time per message', fmtMs(raw.cpu), fmtMs(floor.cpu), fmtMs(noCommit.cpu), fmtMs(lockstep.cpu), fmtRatio(lockstep.cpu / raw.cpu), fmtRatio(lockstep.cpu / floor.cpu), '≤ 4× raw', verdict(lockstep.cpu / raw.cpu <= 4)],
  ];
  const lines = [table(['metric', 'raw mTLS', 'floor', 'Lockstep, no commits', 'Lockstep', 'vs raw', 'vs floor', 'target', 'verdict'], rows)];
  if (floor.rate < 0.5 * raw.rate) {
    lines.push(`- The floor itself reaches ${fmtRate(floor.rate)} = ${fmtRatio(floor.rate / raw.rate)} of raw TLS: below (d)'s 0.50× of raw, so the floor is (d)'s real target.`);
  }
  lines.push(
    `- Durability's share of Lockstep's CPU per message: ${fmtMs(Math.max(0, lockstep.cpu - noCommit.cpu))} of ${fmtMs(lockstep.cpu)} (the rest, ${fmtMs(noCommit.cpu)}, is TLS, the observer's second decryption, sealing, framing and events).`,
  );
  return lines.join('\n');
}
