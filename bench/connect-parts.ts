/**
 * Where the time to a secured, pin-checked connection goes, as ratios to raw Node mutual TLS in
 * the same run: the raw pair, then the raw pair through Lockstep's tap alone (TLS over a
 * JavaScript stream, nothing decoded), then with the record observer too (every handshake record
 * decrypted again), then Lockstep without its observer (`observe: 'none'`: the tap, the engine,
 * its events and its store), then Lockstep as the app runs it. Interleaved, so a change in load
 * hits all alike. Not a test; `npx tsx bench/connect-parts.ts [N]` (N ≤ 45: the listener takes 60
 * connections a minute from one address).
 */
import { Baseline, makeCreds } from './contenders';
import { LockstepPair } from './lockstep';
import { fmtMs, median, table } from './stats';

const n = Math.min(Number(process.argv[2] ?? 40), 45);
const warmup = 5;

const creds = await makeCreds();
const contenders: [string, () => Promise<{ secureMs: number }>][] = [];
const raw = await Baseline.start(creds, {});
const tapped = await Baseline.start(creds, { observe: true, tapOnly: true });
const observed = await Baseline.start(creds, { observe: true });
const bare = await LockstepPair.open({}, 'none');
const app = await LockstepPair.open();
contenders.push(
  ['raw TLS', () => raw.connectOnce()],
  ['raw + tap', () => tapped.connectOnce()],
  ['raw + tap + observer', () => observed.connectOnce()],
  ['Lockstep, no observer', () => bare.connectOnce()],
  ['Lockstep (the app)', () => app.connectOnce()],
);

const times = contenders.map((): number[] => []);
for (let i = 0; i < warmup + n; i++) {
  for (const [k, [, connect]] of contenders.entries()) {
    const { secureMs } = await connect();
    if (i >= warmup) times[k]!.push(secureMs);
  }
}
const base = median(times[0]!);
console.log(`Time to a secured, pin-checked connection, median of ${n} after ${warmup} warm-up each\n`);
console.log(table(['contender', 'p50', 'vs raw'], contenders.map(([label], k) => [label, fmtMs(median(times[k]!)), `${(median(times[k]!) / base).toFixed(2)}×`])));
await Promise.all([bare.close(), app.close()]);
process.exit(0);
