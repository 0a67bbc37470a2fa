/**
 * `npx tsx bench/tap-bench.ts`: what watching costs. In one run on one machine:
 *
 *   (a) two real engines (openMessenger, loopback, both in this process) with the record observer
 *       and the plaintext witness on — every record decrypted a second time and compared — against
 *       the same engines with both off and with the witness alone off (the `observe` option, which
 *       exists for this bench only): msg → ack round trip p50, one-way messages per second;
 *   (b) a bulk transfer over a raw TLS pair through the tap: no observer, an observer decrypting
 *       every record, and one sampling the bulk (`sampleBulk`), in MiB/s.
 *
 * Prints a table; asserts nothing. BENCH_QUICK=1 for a smoke run in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';

import type { LockstepEvent } from '../shared/events';
import { createIdentity } from '../main/core/identity/identity';
import { type Messenger, openMessenger } from '../main/core/messenger/messenger';
import type { Observation } from '../main/core/net/connection';
import { createRecordObserver, type RecordObserverOptions } from '../main/core/tls/record-observer';
import { Tap } from '../main/core/tls/tap';
import { UNGATED } from '../main/core/tls/disclosure';

const QUICK = process.env.BENCH_QUICK === '1';
const N = QUICK
  ? { rttWarmup: 20, rtt: 150, rate: 500, bulkMiB: 8, runs: 1, bulkRuns: 1 }
  : { rttWarmup: 200, rtt: 1_500, rate: 3_000, bulkMiB: 64, runs: 5, bulkRuns: 3 };
/** The targets of the independent decryption: observer + witness on against off, and bulk with every record opened. */
const TARGET = { roundTrip: 1.2, rate: 0.5, bulk: 0.3 };
const TEXT = 'meet at 6 by the old mill; bring the map and a torch. '.repeat(4); // ~200 bytes
const log = (line: string) => process.stderr.write(`${line}\n`);

const now = () => performance.now();
function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  return s[lo]! + (s[Math.ceil(rank)]! - s[lo]!) * (rank - lo);
}
const median = (xs: number[]) => percentile(xs, 50);

/** Resolve on the next event on `m` that matches (subscribed before the action that causes it). */
function next(m: Messenger, pred: (e: LockstepEvent) => boolean): Promise<LockstepEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('tap-bench: timed out waiting for an event'));
    }, 60_000);
    const stop = m.events.subscribe((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      stop();
      resolve(e);
    });
  });
}

interface EngineResult {
  rttP50: number;
  rate: number;
  witnessed: number;
}

/** A listener and a dialer engine, connected, both watching their connections as `observe` says. */
async function engines(observer: boolean, witness = observer): Promise<EngineResult> {
  const observe: Observation = !observer ? 'none' : witness ? 'full' : 'records';
  const dirs = [mkdtempSync(join(tmpdir(), 'tap-bench-l-')), mkdtempSync(join(tmpdir(), 'tap-bench-d-'))];
  const noRetry = { retryInitialMs: 3_600_000, retryMaxMs: 3_600_000 };
  const listener = await openMessenger({ profileDir: dirs[0]!, listen: { host: '127.0.0.1', port: 0 }, unknownPeers: 'accept', timeouts: noRetry, observe });
  await listener.createIdentity('Bench Listener');
  const dialer = await openMessenger({ profileDir: dirs[1]!, listen: false, timeouts: noRetry, observe });
  await dialer.createIdentity('Bench Dialer');
  let witnessed = 0;
  for (const m of [listener, dialer]) {
    m.events.subscribe((e) => {
      if (e.kind === 'tls.witness') witnessed++;
    });
  }
  try {
    const contact = dialer.addContact({ address: `127.0.0.1:${listener.network().port}`, pin: listener.identity.pin });
    const ready = next(dialer, (e) => e.kind === 'conn.ready');
    dialer.want(contact.id);
    await ready;

    const samples: number[] = [];
    for (let i = 0; i < N.rttWarmup + N.rtt; i++) {
      const t0 = now();
      const delivered = next(dialer, (e) => e.kind === 'message.delivered');
      dialer.send(contact.id, TEXT);
      await delivered;
      if (i >= N.rttWarmup) samples.push(now() - t0);
    }

    let received = 0;
    const all = new Promise<void>((resolve) => {
      const stop = listener.events.subscribe((e) => {
        if (e.kind !== 'message.received' || ++received < N.rate) return;
        stop();
        resolve();
      });
    });
    const t0 = now();
    for (let i = 0; i < N.rate; i++) dialer.send(contact.id, TEXT);
    await all;
    const rate = N.rate / ((now() - t0) / 1000);
    return { rttP50: median(samples), rate, witnessed };
  } finally {
    await dialer.close();
    await listener.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

type BulkMode = 'tap only' | 'decrypt every record' | 'sampleBulk';

/** Client → server, `mib` MiB in 64 KiB writes, through taps on both ends; MiB/s at the server. */
async function bulk(mode: BulkMode, creds: { keyPem: string; certPem: string }, mib: number): Promise<{ mibPerSec: number; decrypted: number; records: number }> {
  let decrypted = 0;
  let records = 0;
  const observe = (role: 'dialer' | 'listener') => {
    if (mode === 'tap only') return null;
    const options: RecordObserverOptions = {
      role,
      conn: role,
      disclosure: UNGATED,
      emit: (e) => {
        if (e.kind !== 'tls.record' || !e.detail.encrypted) return;
        records++;
        if (e.detail.decrypted) decrypted++;
      },
    };
    // Decrypt the first records (the handshake and anything chat-sized), then one in 256.
    if (mode === 'sampleBulk') options.sampleBulk = ({ index }) => index < 16 || index % 256 === 0;
    return createRecordObserver(options);
  };
  const base = { key: creds.keyPem, cert: creds.certPem, rejectUnauthorized: false, minVersion: 'TLSv1.3' as const };
  const server = tls.createServer({ ...base, requestCert: true });
  const lobs = observe('listener');
  server.on('keylog', (line: Buffer) => lobs?.onKeylog(line));
  const total = mib * 1024 * 1024;
  let got = 0;
  let t0 = 0;
  const done = new Promise<number>((resolve) => {
    server.on('secureConnection', (s) => {
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= total) resolve(now() - t0);
      });
    });
  });
  const netServer = net.createServer((sock) => {
    const tap = new Tap(sock);
    tap.onBytes = (dir, chunk) => lobs?.onBytes(dir, chunk);
    server.emit('connection', tap);
  });
  await new Promise<void>((r) => netServer.listen(0, '127.0.0.1', r));
  const raw = await new Promise<net.Socket>((r) => {
    const s = net.connect((netServer.address() as net.AddressInfo).port, '127.0.0.1', () => r(s));
  });
  const dobs = observe('dialer');
  const tap = new Tap(raw);
  tap.onBytes = (dir, chunk) => dobs?.onBytes(dir, chunk);
  const client = tls.connect({ ...base, socket: tap });
  client.on('keylog', (line) => dobs?.onKeylog(line));
  await new Promise((r) => client.once('secureConnect', r));
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  t0 = now();
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!client.write(chunk)) await new Promise((r) => client.once('drain', r));
  }
  const ms = await done;
  client.destroy();
  await new Promise<void>((r) => netServer.close(() => r()));
  server.close();
  return { mibPerSec: mib / (ms / 1000), decrypted, records };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, j) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') + (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')).join('\n');
}

async function main(): Promise<void> {
  log(`tap-bench: Node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}${QUICK ? ' (BENCH_QUICK)' : ''}`);
  const off: EngineResult[] = [];
  const observerOnly: EngineResult[] = [];
  const on: EngineResult[] = [];
  // Alternate the configurations so drifting machine load hits them alike.
  for (let run = 0; run < N.runs; run++) {
    log(`engines, run ${run + 1}/${N.runs}: observer off…`);
    off.push(await engines(false));
    log(`engines, run ${run + 1}/${N.runs}: observer on, witness off…`);
    observerOnly.push(await engines(true, false));
    log(`engines, run ${run + 1}/${N.runs}: observer and witness on…`);
    on.push(await engines(true));
  }
  const pick = (rs: EngineResult[], k: 'rttP50' | 'rate') => median(rs.map((r) => r[k]));
  const rttOff = pick(off, 'rttP50');
  const rttObs = pick(observerOnly, 'rttP50');
  const rttOn = pick(on, 'rttP50');
  const rateOff = pick(off, 'rate');
  const rateObs = pick(observerOnly, 'rate');
  const rateOn = pick(on, 'rate');

  const dir = mkdtempSync(join(tmpdir(), 'tap-bench-creds-'));
  const creds = await createIdentity(dir, 'Bulk');
  const modes: BulkMode[] = ['tap only', 'decrypt every record', 'sampleBulk'];
  const bulkRuns = new Map<BulkMode, { mibPerSec: number; decrypted: number; records: number }[]>(modes.map((m) => [m, []]));
  for (let run = 0; run < N.bulkRuns; run++) {
    for (const mode of modes) {
      log(`bulk ${N.bulkMiB} MiB, run ${run + 1}/${N.bulkRuns}: ${mode}…`);
      bulkRuns.get(mode)!.push(await bulk(mode, creds, N.bulkMiB));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const bulkOf = (mode: BulkMode) => {
    const rs = bulkRuns.get(mode)!;
    return { mibPerSec: median(rs.map((r) => r.mibPerSec)), decrypted: rs.at(-1)!.decrypted, records: rs.at(-1)!.records };
  };
  const bare = bulkOf('tap only');
  const every = bulkOf('decrypt every record');
  const sampled = bulkOf('sampleBulk');

  const ok = (yes: boolean) => (yes ? 'met' : 'NOT met');
  const x = (r: number) => `${r.toFixed(2)}×`;
  const rows = [
    ['', 'observer off', 'observer only', 'observer + witness', 'on / off', 'target', ''],
    ['msg → ack round trip, p50', `${rttOff.toFixed(2)} ms`, `${rttObs.toFixed(2)} ms`, `${rttOn.toFixed(2)} ms`, x(rttOn / rttOff), `≤ ${TARGET.roundTrip}×`, ok(rttOn / rttOff <= TARGET.roundTrip)],
    ['one-way messages per second', `${Math.round(rateOff)}/s`, `${Math.round(rateObs)}/s`, `${Math.round(rateOn)}/s`, x(rateOn / rateOff), `≥ ${TARGET.rate}×`, ok(rateOn / rateOff >= TARGET.rate)],
  ];
  const bulkRows = [
    [`bulk, ${N.bulkMiB} MiB through the tap`, 'MiB/s', 'vs tap only', 'records opened', 'target', ''],
    ['tap only (no observer)', bare.mibPerSec.toFixed(1), '1.00×', '-', '', ''],
    ['observer decrypts every record', every.mibPerSec.toFixed(1), x(every.mibPerSec / bare.mibPerSec), `${every.decrypted} of ${every.records}`, `≥ ${TARGET.bulk}×`, ok(every.mibPerSec / bare.mibPerSec >= TARGET.bulk)],
    ['observer with sampleBulk', sampled.mibPerSec.toFixed(1), x(sampled.mibPerSec / bare.mibPerSec), `${sampled.decrypted} of ${sampled.records}`, '', ''],
  ];
  process.stdout.write(`\n${table(rows)}\n\n${table(bulkRows)}\n\n`);
  process.stdout.write(`Machine: ${cpus().length} CPUs, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} (ratios are only as steady as the load).\n`);
  process.stdout.write(
    `Engines: ${N.rtt} round trips after ${N.rttWarmup} warm-up, ${N.rate} one-way messages, median of ${N.runs} runs each (alternating off/on); ` +
      `the witness judged ${on.at(-1)!.witnessed} records in the last 'on' run (${off.at(-1)!.witnessed} with it off).\n` +
      `Bulk: both ends tapped, median of ${N.bulkRuns} runs; the sampling observer opens the first 16 records and one in 256 after them.\n`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
