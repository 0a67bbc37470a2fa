/**
 * `npm run bench`: Lockstep against a raw Node mutual-TLS socket pair, measured in the same run on
 * the same machine, printed as one table of ratios. Not a test: nothing here passes or fails on
 * time (the table only says whether each ratio meets its target).
 *
 *   (a) time to a secured, pin-checked connection      (b) time to ready (hellos exchanged)
 *   (c) msg → ack round trip, p50 and p99, 200 B text  (d) one-way messages per second
 *   (e) RSS growth over a long run on one connection (in a child process, with --expose-gc)
 *
 * A third column-set, "raw + observer", runs the baseline through Lockstep's tap and record
 * observer (every record decrypted a second time), so the observer's share of the cost is seen.
 * Then the key exchange: the hybrid post-quantum handshake against a classical one (bench/
 * handshake-groups.ts), sizes and times, in the same run; and (a) and (c) once more with the
 * listener in a process of its own, as on two machines (bench/two-process.ts).
 *
 * BENCH_QUICK=1: small counts, a smoke run in seconds. BENCH_SOAK=N: messages for (e).
 * BENCH_STORE=1: also run the at-rest store benchmark (bench/store-bench.ts) and print its table.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

import { baselineRoundTrip, baselineThroughput, observerStats } from './baseline';
import { Baseline, makeCreds } from './contenders';
import { type CostSamples, costTable } from './cost-table';
import { FloorPair } from './floor';
import { LockstepPair } from './lockstep';
import { storeInternals } from '../main/core/store/messages';
import { runSoakChild, soakGrowth } from './soak';
import { startupTimes } from './startup';
import { eventCost } from './event-cost';
import { fmtBytes, fmtCount, fmtMs, fmtRate, fmtRatio, median, messageText, now, percentile, table } from './stats';

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = QUICK
  ? { connectWarmup: 1, connectRuns: 3, rttWarmup: 20, rttSamples: 100, throughputMessages: 500, throughputRuns: 1, soakMessages: 2_000, soakWarmup: 200 }
  : { connectWarmup: 5, connectRuns: 30, rttWarmup: 300, rttSamples: 3_000, throughputMessages: 20_000, throughputRuns: 3, soakMessages: 1_000_000, soakWarmup: 10_000 };
const SOAK_MESSAGES = Number(process.env.BENCH_SOAK ?? CONFIG.soakMessages);
/** (e) is called bounded when the second half of the run grows RSS by less than this per message. */
const BOUNDED_BYTES_PER_MESSAGE = 8;

const text = (i: number) => messageText(i, 200);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface ConnectTimes {
  secure: number[];
  ready: number[];
}

type Contender = 'raw' | 'observed' | 'lockstep';
const CONTENDERS: Contender[] = ['raw', 'observed', 'lockstep'];
/** (c) and (d) only: the floor (floor.ts) and Lockstep with the store's commits made no-ops. */
type Runner = Contender | 'floor' | 'nocommit';
const RUNNERS: Runner[] = [...CONTENDERS, 'floor', 'nocommit'];

/** Run `fn` with the message store's writes switched off (bench only: storeInternals). */
async function withoutCommits<T>(fn: () => Promise<T>): Promise<T> {
  storeInternals.commits = false;
  try {
    return await fn();
  } finally {
    storeInternals.commits = true;
  }
}

async function main(): Promise<void> {
  const started = now();
  log(`Lockstep benchmark${QUICK ? ' (BENCH_QUICK: smoke counts, numbers mean little)' : ''}`);
  log(`node ${process.version}, OpenSSL ${process.versions.openssl}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const creds = await makeCreds();
  const raw = await Baseline.start(creds, {});
  const observed = await Baseline.start(creds, { observe: true });
  const pair = await LockstepPair.open();
  const noCommit = await LockstepPair.open();
  const floor = await FloorPair.open(creds.server, creds.client);
  const connectOnce: Record<Contender, () => Promise<{ secureMs: number; readyMs: number }>> = {
    raw: () => raw.connectOnce(),
    observed: () => observed.connectOnce(),
    lockstep: () => pair.connectOnce(),
  };

  // (a), (b): fresh connections, interleaved so a change in machine load hits all three alike.
  log(`(a)/(b) ${CONFIG.connectWarmup} warm-up + ${CONFIG.connectRuns} connections each…`);
  const times: Record<Contender, ConnectTimes> = { raw: { secure: [], ready: [] }, observed: { secure: [], ready: [] }, lockstep: { secure: [], ready: [] } };
  for (let i = 0; i < CONFIG.connectWarmup + CONFIG.connectRuns; i += 1) {
    for (const who of CONTENDERS) {
      const t = await connectOnce[who]();
      if (i < CONFIG.connectWarmup) continue;
      times[who].secure.push(t.secureMs);
      times[who].ready.push(t.readyMs);
    }
  }

  // (c): one message at a time on one open connection each, interleaved in blocks.
  log(`(c) ${CONFIG.rttWarmup} warm-up + ${CONFIG.rttSamples} round trips each…`);
  const rawConn = await raw.connect();
  const observedConn = await observed.connect();
  await pair.connectOnce(true);
  await noCommit.connectOnce(true);
  const roundTrip: Record<Runner, (i: number) => Promise<number>> = {
    raw: (i) => baselineRoundTrip(rawConn, randomUUID(), text(i)),
    observed: (i) => baselineRoundTrip(observedConn, randomUUID(), text(i)),
    lockstep: (i) => pair.roundTrip(text(i)),
    floor: (i) => floor.roundTrip(text(i)),
    nocommit: (i) => withoutCommits(() => noCommit.roundTrip(text(i))),
  };
  const rtt: Record<Runner, number[]> = { raw: [], observed: [], lockstep: [], floor: [], nocommit: [] };
  const BLOCK = 50;
  for (let done = -CONFIG.rttWarmup; done < CONFIG.rttSamples; done += BLOCK) {
    for (const who of RUNNERS) {
      for (let i = 0; i < BLOCK; i += 1) {
        const ms = await roundTrip[who](done + i);
        if (done + i >= 0 && done + i < CONFIG.rttSamples) rtt[who].push(ms);
      }
    }
  }

  // (d): a burst of one-way messages; the receiver's count ends the clock.
  log(`(d) ${CONFIG.throughputRuns} × ${fmtCount(CONFIG.throughputMessages)} one-way messages each…`);
  const rates: Record<Contender, number[]> = { raw: [], observed: [], lockstep: [] };
  /** CPU time (user + system, this process: both ends) per message: unaffected by how busy the machine is. */
  const cpuPerMessage: Record<Contender, number[]> = { raw: [], observed: [], lockstep: [] };
  const extra: CostSamples = { floor: { rate: [], cpu: [] }, nocommit: { rate: [], cpu: [] } };
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let lockstepRecords = 0;
  const lockstepSendMs: number[] = [];
  const decryptedBefore = observerStats.decrypted;
  for (let run = 0; run < CONFIG.throughputRuns + 1; run += 1) {
    const warm = run === 0; // the first (smaller) burst warms up the code paths
    const n = warm ? Math.max(200, CONFIG.throughputMessages / 10) : CONFIG.throughputMessages;
    let cpu0 = cpuMs();
    const rawMs = await baselineThroughput(raw.server, rawConn, n, text);
    const rawCpu = cpuMs() - cpu0;
    const decrypted0 = observerStats.decrypted;
    cpu0 = cpuMs();
    const observedMs = await baselineThroughput(observed.server, observedConn, n, text);
    const observedCpu = cpuMs() - cpu0;
    const observedRecords = observerStats.decrypted - decrypted0;
    cpu0 = cpuMs();
    const ls = await pair.throughput(n, text);
    const lockstepCpu = cpuMs() - cpu0; // includes waiting for the last acks
    cpu0 = cpuMs();
    const floorMs = await floor.throughput(n, text);
    const floorCpu = cpuMs() - cpu0;
    cpu0 = cpuMs();
    const nc = await withoutCommits(() => noCommit.throughput(n, text));
    const noCommitCpu = cpuMs() - cpu0;
    if (warm) continue;
    extra.floor.rate.push((n / floorMs) * 1000);
    extra.floor.cpu.push(floorCpu / n);
    extra.nocommit.rate.push((n / nc.ms) * 1000);
    extra.nocommit.cpu.push(noCommitCpu / n);
    cpuPerMessage.raw.push(rawCpu / n);
    cpuPerMessage.observed.push(observedCpu / n);
    cpuPerMessage.lockstep.push(lockstepCpu / n);
    rates.raw.push((n / rawMs) * 1000);
    rates.observed.push((n / observedMs) * 1000);
    rates.lockstep.push((n / ls.ms) * 1000);
    lockstepRecords = ls.records / n;
    lockstepSendMs.push(ls.sendMs);
    log(`    raw ${fmtRate(rates.raw.at(-1)!)}, raw + observer ${fmtRate(rates.observed.at(-1)!)} (${(observedRecords / n).toFixed(2)} records decrypted per message), Lockstep ${fmtRate(rates.lockstep.at(-1)!)}, floor ${fmtRate(extra.floor.rate.at(-1)!)}, Lockstep without commits ${fmtRate(extra.nocommit.rate.at(-1)!)}`);
  }
  const observerDecrypted = observerStats.decrypted - decryptedBefore;

  await Promise.all([rawConn.close(), observedConn.close()]);
  await pair.close();
  await noCommit.close();
  await floor.close();
  await Promise.all([raw.server.close(), observed.server.close()]);
  for (const dir of creds.dirs) rmSync(dir, { recursive: true, force: true });

  // Before (e): a long soak leaves a gigabyte of database pages to write back and delete, and a
  // start-up measured during that I/O said 1.28× where a quiet machine says 1.01×.
  log('headless peer start-up (`id`)…');
  const startup = startupTimes(QUICK ? 2 : 7);

  // (e): each in its own process, so neither's heap colours the other's RSS.
  log(`(e) ${fmtCount(SOAK_MESSAGES)} messages over one connection, each contender in its own process…`);
  const soakRaw = runSoakChild('raw', SOAK_MESSAGES);
  const soakLockstep = runSoakChild('lockstep', SOAK_MESSAGES);
  const bus = eventCost(QUICK ? 50_000 : 500_000);

  // The table.
  const a = { raw: median(times.raw.secure), observed: median(times.observed.secure), lockstep: median(times.lockstep.secure) };
  const b = { raw: median(times.raw.ready), observed: median(times.observed.ready), lockstep: median(times.lockstep.ready) };
  const p50 = { raw: percentile(rtt.raw, 50), observed: percentile(rtt.observed, 50), lockstep: percentile(rtt.lockstep, 50) };
  const p99 = { raw: percentile(rtt.raw, 99), observed: percentile(rtt.observed, 99), lockstep: percentile(rtt.lockstep, 99) };
  const d = { raw: median(rates.raw), observed: median(rates.observed), lockstep: median(rates.lockstep) };
  const dCpu = { raw: median(cpuPerMessage.raw), observed: median(cpuPerMessage.observed), lockstep: median(cpuPerMessage.lockstep) };
  const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  const eRaw = soakRaw ? soakGrowth(soakRaw) : null;
  const eLs = soakLockstep ? soakGrowth(soakLockstep) : null;

  const rows: string[][] = [
    ['(a) secure + pin-checked (median)', fmtMs(a.raw), fmtMs(a.lockstep), fmtRatio(a.lockstep / a.raw), '≤ 1.20×', verdict(a.lockstep / a.raw <= 1.2)],
    ['(b) ready, hellos exchanged (median)', fmtMs(b.raw), fmtMs(b.lockstep), fmtRatio(b.lockstep / b.raw), '—', ''],
    ['(c) msg→ack round trip p50', fmtMs(p50.raw), fmtMs(p50.lockstep), fmtRatio(p50.lockstep / p50.raw), '≤ 1.30×', verdict(p50.lockstep / p50.raw <= 1.3)],
    ['(c) msg→ack round trip p99', fmtMs(p99.raw), fmtMs(p99.lockstep), fmtRatio(p99.lockstep / p99.raw), '—', ''],
    ['(d) one-way messages per second', fmtRate(d.raw), fmtRate(d.lockstep), fmtRatio(d.lockstep / d.raw), '≥ 0.50×', verdict(d.lockstep / d.raw >= 0.5)],
    [
      `(e) RSS growth, ${fmtCount(SOAK_MESSAGES)} msgs`,
      eRaw ? `${fmtBytes(eRaw.growth)} (${eRaw.perMessage.toFixed(1)} B/msg)` : 'failed',
      eLs ? `${fmtBytes(eLs.growth)} (${eLs.perMessage.toFixed(1)} B/msg)` : 'failed',
      eRaw && eLs ? `${fmtBytes(eLs.growth - eRaw.growth)} more` : 'n/a',
      `bounded (2nd half slope < ${BOUNDED_BYTES_PER_MESSAGE} B/msg)`,
      eLs ? (eLs.secondHalfPerMessage < BOUNDED_BYTES_PER_MESSAGE ? 'meets' : 'MISSES') : 'n/a',
    ],
    ['headless `id`, wall time (median)', `${fmtMs(startup.bundle)} (node out/cli/main.js)`, `${fmtMs(startup.peer)} (npm run peer's script)`, fmtRatio(startup.peer / startup.bundle), '≤ 1.20×', verdict(startup.peer / startup.bundle <= 1.2)],
  ];
  const out: string[] = [];
  out.push('');
  out.push(table(['metric', 'baseline (raw mTLS)', 'Lockstep', 'ratio', 'target', 'verdict'], rows));
  out.push('');
  out.push('Where the time goes — the baseline again, through Lockstep\'s tap + record observer on both sides (every record split and decrypted a second time):');
  out.push(
    table(
      ['metric', 'raw', 'raw + observer', 'Lockstep', 'observer share of the gap'],
      [
        ['(a) secure + pin-checked', fmtMs(a.raw), fmtMs(a.observed), fmtMs(a.lockstep), share(a.raw, a.observed, a.lockstep)],
        ['(b) ready', fmtMs(b.raw), fmtMs(b.observed), fmtMs(b.lockstep), share(b.raw, b.observed, b.lockstep)],
        ['(c) round trip p50', fmtMs(p50.raw), fmtMs(p50.observed), fmtMs(p50.lockstep), share(p50.raw, p50.observed, p50.lockstep)],
        ['(c) round trip p99', fmtMs(p99.raw), fmtMs(p99.observed), fmtMs(p99.lockstep), share(p99.raw, p99.observed, p99.lockstep)],
        ['(d) messages per second', fmtRate(d.raw), fmtRate(d.observed), fmtRate(d.lockstep), share(1 / d.raw, 1 / d.observed, 1 / d.lockstep)],
        ['(d) CPU time per message', fmtMs(dCpu.raw), fmtMs(dCpu.observed), fmtMs(dCpu.lockstep), share(dCpu.raw, dCpu.observed, dCpu.lockstep)],
      ],
    ),
  );
  out.push('');
  out.push('What durability and encryption at rest cost: the floor (raw TLS that also seals and stores each message, one transaction per read on both sides, no Lockstep code) and Lockstep with its message writes switched off:');
  out.push(
    costTable({
      raw: { p50: p50.raw, rate: d.raw, cpu: dCpu.raw },
      lockstep: { p50: p50.lockstep, rate: d.lockstep, cpu: dCpu.lockstep },
      floorP50: percentile(rtt.floor, 50),
      noCommitP50: percentile(rtt.nocommit, 50),
      samples: extra,
    }),
  );
  out.push('');
  out.push('Notes:');
  out.push(`- (a) baseline: TCP connect call → secureConnect + SPKI pin check; Lockstep: connect() → the dialer's trust.check "match" event. (b) baseline: + one JSON hello round trip; Lockstep: → conn.ready. Medians of ${CONFIG.connectRuns} after ${CONFIG.connectWarmup} warm-up, all three interleaved.`);
  out.push(`- (c) ${fmtCount(CONFIG.rttSamples)} sequential 200-byte messages (after ${CONFIG.rttWarmup} warm-up). Lockstep: send() → message.delivered; it also writes each message to SQLite (sealed), on both sides, and acks only after the receiver committed it.`);
  out.push(`- (d) sent in chunks of 100 with a yield between chunks (both contenders); median of ${CONFIG.throughputRuns} bursts of ${fmtCount(CONFIG.throughputMessages)}; baseline counts parsed lines (no acks); Lockstep counts message.received (and acks each one). Lockstep's engines saw ${lockstepRecords.toFixed(2)} tls.record events per message, each decrypted again by the observer (${fmtCount(observerDecrypted)} records decrypted in the raw + observer runs). One Lockstep send() call took ${fmtMs(median(lockstepSendMs))} on average (synchronous: it seals and stores the message before writing it).`);
  out.push('- Both ends of each pair run in this one process (one event loop), for the baseline and for Lockstep alike. "CPU time per message" is this process\'s user + system time over the burst divided by its messages (for Lockstep it includes the acks and both databases): it does not depend on how busy the machine is, while the rates and latencies do.');
  out.push(`- Event bus, per event (a frame.in, building its input included): ${bus.none.toFixed(0)} ns with no listener, ${bus.one.toFixed(0)} ns with one, ${bus.batched.toFixed(0)} ns with the desktop's batching subscriber; memory bounded by its ring of 20,000 events. A message costs about 6 events at each end.`);
  if (soakRaw && soakLockstep) {
    for (const [name, s] of [['baseline', soakRaw], ['Lockstep', soakLockstep]] as const) {
      const g = soakGrowth(s);
      out.push(
        `- (e) ${name}: RSS ${fmtBytes(s.before.rss)} after warm-up → ${fmtBytes(s.half.rss)} at half → ${fmtBytes(s.end.rss)} at the end` +
          `${s.gc ? ` → ${fmtBytes(s.endGc.rss)} after GC (heap ${fmtBytes(s.before.heapUsed)} → ${fmtBytes(s.endGc.heapUsed)})` : ' (no --expose-gc: no GC figure)'}; ` +
          `growth ${fmtBytes(g.growth)} = ${g.perMessage.toFixed(1)} B/msg over the run, ${g.secondHalfPerMessage.toFixed(1)} B/msg over the 2nd half (least-squares slope of ${s.secondHalf.length} readings after GC: ${s.secondHalf.map((r) => fmtBytes(r.rss)).join(', ')}); ` +
          `${fmtRate((s.messages / s.ms) * 1000)} acked${s.databaseBytes !== null ? `; databases on disk ${fmtBytes(s.databaseBytes)} (${(s.databaseBytes / s.messages).toFixed(0)} B/msg)` : ''}.`,
      );
    }
    out.push('- (e) History is not held in memory: both engines store every message (sealed) in SQLite on disk, so it grows the database files, not RSS. What stays in memory is bounded: the event bus keeps the last 20,000 events per engine.');
  }
  out.push(`- Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs (other work on the machine skews every column alike). Total ${((now() - started) / 1000).toFixed(0)} s.`);
  process.stdout.write(`${out.join('\n')}\n`);

  log('key exchange: X25519MLKEM768 against X25519 alone…');
  const { formatHandshakeGroupsBench, runHandshakeGroupsBench } = await import('./handshake-groups');
  const groups = await runHandshakeGroupsBench({ runs: CONFIG.connectRuns, warmup: CONFIG.connectWarmup, log });
  process.stdout.write(`\n${formatHandshakeGroupsBench(groups)}\n`);

  // Two machines have two event loops: the listener in a process of its own (bench/two-process.ts).
  log('(a) and (c) again, the listener in its own process…');
  const { formatTwoProcess, runTwoProcess } = await import('./two-process');
  const twoProcess = await runTwoProcess(QUICK ? 3 : CONFIG.connectRuns, log);
  process.stdout.write(`\nEach side in its own process, as on two machines (medians; the rows above run both ends in one):\n${formatTwoProcess(twoProcess)}\n`);

  // Opt-in: the at-rest store's own benchmark (bench/store-bench.ts), where most of a message's cost goes.
  if (process.env.BENCH_STORE === '1') {
    log('store benchmark (BENCH_STORE=1)…');
    const { formatStoreBench, runStoreBench } = await import('./store-bench');
    process.stdout.write(`\n${formatStoreBench(await runStoreBench({ quick: QUICK, log }))}\n`);
  }
}

/** How much of Lockstep's extra cost over raw the observer alone accounts for. */
function share(raw: number, observed: number, lockstep: number): string {
  const gap = lockstep - raw;
  if (!(gap > 0)) return 'n/a (no gap)';
  return `${Math.round((Math.max(0, observed - raw) / gap) * 100)} %`;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
