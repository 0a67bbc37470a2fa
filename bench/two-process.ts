/**
 * The connect and the round trip with the two sides in two processes, as two machines have them:
 * the listener runs in bench/listener-process.ts, the dialer here, so each side's work (its TLS,
 * its record observer, its store) has its own event loop and, on a machine with two cores, its
 * own core. In the one-process bench both ends share one event loop, so work moved off one side's
 * critical path still runs before the other side's next step; here it does not.
 *
 * Contenders: raw Node mutual TLS (bench/baseline.ts), the floor of a durable messenger that
 * encrypts at rest (bench/floor.ts; round trips only, its connect is raw TLS's), Lockstep without
 * its record observer (`observe: 'none'`), Lockstep with every record decrypted as it passes
 * (`inline`: what the app did before it decrypted them a turn late, off the critical path of the
 * connect and of each message), Lockstep as the app runs it. Interleaved, so a change in load hits all
 * alike. Not a test; `npx tsx bench/two-process.ts [N]` (N ≤ 45 connects: the listener takes 60
 * connections a minute from one address; 50 × N round trips). `runTwoProcess()` is exported for
 * `bench/main.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createIdentity } from '../main/core/identity/identity';
import { baselineRoundTrip, type BaselineConnection, connectBaseline } from './baseline';
import { FloorPair } from './floor';
import { LockstepPair } from './lockstep';
import { fmtMs, median, messageText, scratchDir, sleep, table } from './stats';

export interface TwoProcessResult {
  label: string;
  /** NaN for the floor, whose connect is raw TLS's. */
  secureMs: number;
  roundTripMs: number;
}

interface Contender {
  label: string;
  connectOnce: (() => Promise<number>) | null;
  /** One 200-byte message and its ack on a connection kept open for it. */
  roundTrip(): Promise<number>;
  close(): Promise<void>;
}

const LISTENER = fileURLToPath(new URL('./listener-process.ts', import.meta.url));
const text = messageText(0, 200);
/** Pause after each connect, for the closed connection's teardown to finish (see runTwoProcess). */
const SETTLE_MS = 25;

/** Start bench/listener-process.ts with the same loader this process runs under (tsx). */
export async function spawnListener(args: string[]): Promise<{ port: number; pin: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...process.execArgv, LISTENER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench: listener-process ${args[0]} exited (${code}) before listening`)));
  });
  lines.close();
  const { port, pin } = JSON.parse(first) as { port: number; pin: string };
  return { port, pin, child };
}

export function stopListener(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.stdin!.end();
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

async function rawContender(): Promise<Contender> {
  const client = await createIdentity(scratchDir('lockstep-bench-c-'), 'Baseline Client');
  const { port, pin, child } = await spawnListener(['raw', client.pin]);
  let open: BaselineConnection | null = null;
  return {
    label: 'raw TLS',
    connectOnce: async () => {
      const conn = await connectBaseline(port, client, pin);
      await conn.close();
      return conn.secureMs;
    },
    roundTrip: async () => baselineRoundTrip((open ??= await connectBaseline(port, client, pin)), randomUUID(), text),
    close: async () => {
      await open?.close();
      await stopListener(child);
    },
  };
}

async function floorContender(): Promise<Contender> {
  const client = await createIdentity(scratchDir('lockstep-bench-c-'), 'Floor Client');
  const { port, pin, child } = await spawnListener(['floor', client.pin]);
  const pair = await FloorPair.dialTo(port, pin, client);
  return {
    label: 'floor (raw TLS + sealed, stored)',
    connectOnce: null,
    roundTrip: () => pair.roundTrip(text),
    close: async () => {
      await pair.close();
      await stopListener(child);
    },
  };
}

async function lockstepContender(observe: 'full' | 'inline' | 'none', label: string): Promise<Contender> {
  const { port, pin, child } = await spawnListener([observe]);
  const pair = await LockstepPair.dialTo(port, pin, observe);
  let connected = false;
  return {
    label,
    connectOnce: async () => (await pair.connectOnce()).secureMs,
    roundTrip: async () => {
      if (!connected) await pair.connectOnce(true);
      connected = true;
      return pair.roundTrip(text);
    },
    close: async () => {
      await pair.close();
      await stopListener(child);
    },
  };
}

/** `connects` (≤ 45) connects and 50 × `connects` round trips per contender, after a warm-up. */
export async function runTwoProcess(connects = 40, log: (line: string) => void = () => undefined): Promise<TwoProcessResult[]> {
  const n = Math.min(connects, 45);
  const contenders = [
    await rawContender(),
    await floorContender(),
    await lockstepContender('none', 'Lockstep, no observer'),
    await lockstepContender('inline', 'Lockstep, records decrypted inline'),
    await lockstepContender('full', 'Lockstep (the app)'),
  ];
  try {
    const secure = contenders.map((): number[] => []);
    for (let i = 0; i < 5 + n; i++) {
      for (const [k, c] of contenders.entries()) {
        if (!c.connectOnce) continue;
        const ms = await c.connectOnce();
        if (i >= 5) secure[k]!.push(ms);
        // A connection's teardown goes on in both processes after the dialer saw it closed; with
        // three processes on two cores it would land in the next contender's connect.
        await sleep(SETTLE_MS);
      }
    }
    log(`two processes: ${n} connects each done`);
    const trips = contenders.map((): number[] => []);
    for (let i = 0; i < 60 * n; i++) {
      for (const [k, c] of contenders.entries()) {
        const ms = await c.roundTrip();
        if (i >= 10 * n) trips[k]!.push(ms);
      }
    }
    return contenders.map((c, k) => ({ label: c.label, secureMs: c.connectOnce ? median(secure[k]!) : NaN, roundTripMs: median(trips[k]!) }));
  } finally {
    for (const c of contenders) await c.close();
  }
}

export function formatTwoProcess(results: TwoProcessResult[]): string {
  const [raw, floor] = results;
  const ratio = (a: number, b: number) => (Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '—');
  return table(
    ['two processes', 'secure + pin-checked', 'vs raw', 'msg → ack p50', 'vs raw', 'vs floor'],
    results.map((r) => [
      r.label,
      Number.isFinite(r.secureMs) ? fmtMs(r.secureMs) : '— (raw TLS\'s)',
      ratio(r.secureMs, raw!.secureMs),
      fmtMs(r.roundTripMs),
      ratio(r.roundTripMs, raw!.roundTripMs),
      ratio(r.roundTripMs, floor!.roundTripMs),
    ]),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 40);
  const results = await runTwoProcess(n, (line) => process.stderr.write(`${line}\n`));
  console.log(`Each side in its own process: medians of ${Math.min(n, 45)} connects and ${50 * Math.min(n, 45)} round trips after a warm-up\n`);
  console.log(formatTwoProcess(results));
  process.exit(0);
}
