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
  databaseBytes: number | null;
}

export function soakGrowth(s: SoakResult): { growth: number; perMessage: number; secondHalfPerMessage: number } {
  const growth = s.endGc.rss - s.before.rss;
  return { growth, perMessage: growth / s.messages, secondHalfPerMessage: (s.endGc.rss - s.halfGc.rss) / (s.messages / 2) };
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
  const t0 = now();
  soakStart = t0;
  await run(half, 0);
  const halfMem = memory();
  await collectGarbage();
  const halfGc = memory();
  await run(messages - half, half);
  const ms = now() - t0;
  const end = memory();
  await collectGarbage();
  const endGc = memory();
  const result: SoakResult = { contender, messages, ms, gc, before, half: halfMem, halfGc, end, endGc, databaseBytes: databaseBytes() };
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
