/**
 * (e) of `npm run bench`: RSS over a long run on one connection, each contender in its own
 * process (`--expose-gc`), so neither's heap colours the other's. `runSoakChild` spawns this file;
 * the child prints one JSON line (SoakResult) on stdout.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { baselineSoak } from './baseline';
import { Baseline, makeCreds } from './contenders';
import { LockstepPair } from './lockstep';
import { collectGarbage, fmtCount, fmtRate, memory, type MemorySample, messageText, now } from './stats';

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = QUICK ? { soakWarmup: 200 } : { soakWarmup: 10_000 };
const SOAK_WINDOW = 1_000;
/**
 * RSS (after a GC) is read this many times through the second half, and (e)'s growth per message
 * is the least-squares slope through those readings. Two readings alone, the half and the end,
 * swung by ±30 MiB from run to run on the same code (native memory the allocator keeps or gives
 * back, not the heap): one such step moves a two-point figure by 60 B/msg, a fitted slope far less.
 */
const SECOND_HALF_READINGS = 10;
const text = (i: number) => messageText(i, 200);
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface SoakResult {
  contender: 'raw' | 'lockstep';
  messages: number;
  ms: number;
  gc: boolean;
  before: MemorySample;
  half: MemorySample;
  end: MemorySample;
  endGc: MemorySample;
  halfGc: MemorySample;
  /** RSS after a GC at the half and then SECOND_HALF_READINGS times through the second half. */
  secondHalf: { messages: number; rss: number }[];
  databaseBytes: number | null;
}

export function soakGrowth(s: SoakResult): { growth: number; perMessage: number; secondHalfPerMessage: number } {
  const growth = s.endGc.rss - s.before.rss;
  return { growth, perMessage: growth / s.messages, secondHalfPerMessage: slope(s.secondHalf.map((r) => [r.messages, r.rss])) };
}

/** The least-squares slope of y over x. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

export function runSoakChild(contender: 'raw' | 'lockstep', messages: number): SoakResult | null {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--soak', contender, String(messages)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = child.stdout?.trim().split('\n').at(-1) ?? '';
  try {
    if (child.status !== 0) throw new Error(`exit ${child.status}`);
    return JSON.parse(line) as SoakResult;
  } catch (err) {
    log(`(e) the ${contender} soak failed (${(err as Error).message}): ${line.slice(0, 300)}`);
    return null;
  }
}

/** Child mode: one contender, `messages` msg/ack exchanges over one connection, memory on stdout. */
async function soak(contender: 'raw' | 'lockstep', messages: number): Promise<void> {
  const half = Math.floor(messages / 2);
  let soakStart = now();
  const progress = (n: number) => {
    const rate = (n / (now() - soakStart)) * 1000;
    log(`    ${contender}: ${fmtCount(n)} of ${fmtCount(messages)} acked, ${fmtRate(rate)}, about ${Math.round((messages - n) / rate / 60)} min to go`);
  };
  let run: (n: number, progressOffset: number) => Promise<void>;
  let cleanup: () => Promise<void>;
  let databaseBytes: () => number | null = () => null;
  if (contender === 'raw') {
    const creds = await makeCreds();
    const baseline = await Baseline.start(creds, {});
    const conn = await baseline.connect();
    run = (n, offset) => baselineSoak(conn, n, text, SOAK_WINDOW, (k) => progress(offset + k));
    cleanup = async () => {
      await conn.close();
      await baseline.server.close();
      for (const dir of creds.dirs) rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const pair = await LockstepPair.open();
    await pair.connectOnce(true);
    run = (n, offset) => pair.soak(n, text, SOAK_WINDOW, (k) => progress(offset + k));
    cleanup = () => pair.close();
    databaseBytes = () => pair.databaseBytes();
  }
  await run(CONFIG.soakWarmup, 0); // fills the caches, the event ring, the JIT
  const gc = await collectGarbage();
  const before = memory();
  soakStart = now();
  // The soak's time is the runs' own: the GC pauses between readings are left out.
  let ms = 0;
  const timed = async (n: number, offset: number) => {
    const t = now();
    await run(n, offset);
    ms += now() - t;
  };
  await timed(half, 0);
  const halfMem = memory();
  await collectGarbage();
  const halfGc = memory();
  const secondHalf = [{ messages: half, rss: halfGc.rss }];
  let done = half;
  let end = halfMem;
  let endGc = halfGc;
  for (let k = 1; k <= SECOND_HALF_READINGS; k++) {
    const upTo = half + Math.round(((messages - half) * k) / SECOND_HALF_READINGS);
    await timed(upTo - done, done);
    done = upTo;
    end = memory();
    await collectGarbage();
    endGc = memory();
    secondHalf.push({ messages: done, rss: endGc.rss });
  }
  const result: SoakResult = { contender, messages, ms, gc, before, half: halfMem, halfGc, end, endGc, secondHalf, databaseBytes: databaseBytes() };
  await cleanup();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[2] === '--soak') {
  soak(process.argv[3] === 'raw' ? 'raw' : 'lockstep', Number(process.argv[4])).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
