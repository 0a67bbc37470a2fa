/**
 * Where one message's round trip (send → ack back, 200 bytes) goes: Lockstep as the app runs it,
 * then without the record observer (`observe: 'none'`: no second decryption, no witness, no
 * record events), without the store's commits (the bench-only switch), and without both. Each
 * difference is that part's share of the p50. Not a test; `npx tsx bench/round-trip-parts.ts [N]`.
 */
import { storeInternals } from '../main/core/store/messages';
import { LockstepPair } from './lockstep';
import { fmtMs, median, messageText, percentile, table } from './stats';

const n = Number(process.argv[2] ?? 1_500);
const text = messageText(0, 200);

async function measure(observe: 'full' | 'none', commits: boolean): Promise<number[]> {
  storeInternals.commits = commits;
  const pair = await LockstepPair.open({}, observe);
  try {
    await pair.connectOnce(true);
    for (let i = 0; i < Math.min(300, n); i++) await pair.roundTrip(text); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < n; i++) samples.push(await pair.roundTrip(text));
    return samples;
  } finally {
    storeInternals.commits = true;
    await pair.close();
  }
}

const rows: string[][] = [];
for (const [label, observe, commits] of [
  ['Lockstep (the app)', 'full', true],
  ['no record observer', 'none', true],
  ['no commits', 'full', false],
  ['neither', 'none', false],
] as const) {
  const s = await measure(observe, commits);
  rows.push([label, fmtMs(median(s)), fmtMs(percentile(s, 90))]);
  process.stderr.write(`${label}: p50 ${fmtMs(median(s))}\n`);
}
console.log(`Round trip of one 200-byte message, ${n} samples each\n`);
console.log(table(['engine', 'p50', 'p90'], rows));
