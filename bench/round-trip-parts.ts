/**
 * Where one message's time goes (200 bytes): its round trip (send → ack back) and the CPU time of
 * a one-way burst, per message. Lockstep as the app runs it, then without the record observer
 * (`observe: 'none'`: no second decryption, no witness, no record events), without the store's
 * commits (the bench-only switch), and without both; the floor (bench/floor.ts: raw TLS that
 * seals and stores each message) in the same run. Each difference is that part's share.
 * Both ends run in this one process, so a part's CPU on either side is on the round trip.
 * Not a test; `npx tsx bench/round-trip-parts.ts [N]`.
 */
import { makeCreds } from './contenders';
import { FloorPair } from './floor';
import { storeInternals } from '../main/core/store/messages';
import { LockstepPair } from './lockstep';
import { fmtMs, median, messageText, percentile, table } from './stats';

const n = Number(process.argv[2] ?? 1_500);
const BURST = 10_000;
const BURSTS = 3;
const text = messageText(0, 200);
const textOf = (i: number) => messageText(i, 200);

interface Parts {
  samples: number[];
  /** Mean wall time and CPU time (both ends) per round trip: equal when the one thread never waits. */
  meanMs: number;
  rttCpuMs: number;
  /** CPU time (user + system, this process: both ends) per one-way message, median of the bursts. */
  cpuMs: number;
}

interface Pair {
  roundTrip(text: string): Promise<number>;
  throughput(n: number, textOf: (i: number) => string): Promise<unknown>;
  close(): Promise<void>;
}

async function measure(pair: Pair): Promise<Parts> {
  for (let i = 0; i < Math.min(300, n); i++) await pair.roundTrip(text); // warm-up
  const samples: number[] = [];
  const rttCpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) samples.push(await pair.roundTrip(text));
  const rttCpu = process.cpuUsage(rttCpu0);
  const meanMs = samples.reduce((a, b) => a + b, 0) / n;
  await pair.throughput(BURST / 5, textOf); // warm-up
  const cpu: number[] = [];
  for (let b = 0; b < BURSTS; b++) {
    const cpu0 = process.cpuUsage();
    await pair.throughput(BURST, textOf);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000 / BURST);
  }
  return { samples, meanMs, rttCpuMs: (rttCpu.user + rttCpu.system) / 1000 / n, cpuMs: median(cpu) };
}

async function lockstep(observe: 'full' | 'none', commits: boolean): Promise<Parts> {
  storeInternals.commits = commits;
  const pair = await LockstepPair.open({}, observe);
  try {
    await pair.connectOnce(true);
    return await measure(pair);
  } finally {
    storeInternals.commits = true;
    await pair.close();
  }
}

async function floor(): Promise<Parts> {
  const creds = await makeCreds();
  const pair = await FloorPair.open(creds.server, creds.client);
  try {
    return await measure(pair);
  } finally {
    await pair.close();
  }
}

const results: [string, Parts][] = [];
for (const [label, run] of [
  ['Lockstep (the app)', () => lockstep('full', true)],
  ['no record observer', () => lockstep('none', true)],
  ['no commits', () => lockstep('full', false)],
  ['neither', () => lockstep('none', false)],
  ['floor (raw TLS + seal + store)', floor],
] as const) {
  const parts = await run();
  results.push([label, parts]);
  process.stderr.write(`${label}: p50 ${fmtMs(median(parts.samples))}, CPU ${fmtMs(parts.cpuMs)} per message\n`);
}
const floorParts = results.at(-1)![1];
const rows = results.map(([label, p]) => [
  label,
  fmtMs(median(p.samples)),
  fmtMs(percentile(p.samples, 90)),
  `${(median(p.samples) / median(floorParts.samples)).toFixed(2)}×`,
  fmtMs(p.meanMs),
  fmtMs(p.rttCpuMs),
  fmtMs(p.cpuMs),
  `${(p.cpuMs / floorParts.cpuMs).toFixed(2)}×`,
]);
console.log(`One 200-byte message: round trip (${n} samples each) and CPU per one-way message (median of ${BURSTS} bursts of ${BURST})\n`);
console.log(table(['engine', 'round trip p50', 'p90', 'vs floor', 'mean', 'CPU per round trip', 'CPU per one-way message', 'vs floor'], rows));
