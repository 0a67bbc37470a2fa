/**
 * Where the dialer's time to a secured, pin-checked connection goes, phase by phase, with the
 * listener in its own process (bench/listener-process.ts) as on two machines. Read from the
 * events the dialer emits anyway, so nothing is instrumented for it: `tcp.connect` (its `ms`),
 * the first `tls.record` each way (each carries the time its bytes passed), `tls.secure` (its
 * `handshakeMs` marks the moment TLS said secure, to 0.1 ms) and `trust.check`. Raw Node mutual
 * TLS is timed from its own socket's events. Medians of N connects each, interleaved.
 * Not a test; `npx tsx bench/connect-phases.ts [N]` (N ≤ 45: the listener's accept rate).
 */
import { createIdentity } from '../main/core/identity/identity';
import type { LockstepEvent } from '../shared/events';
import { connectBaseline } from './baseline';
import { LockstepPair } from './lockstep';
import { fmtMs, median, now, scratchDir, sleep, table } from './stats';
import { spawnListener, stopListener } from './two-process';

type Phases = Record<string, number>;

const PHASES = [
  'engine, before TCP (contact read and checked)',
  'TCP + TLS: connect call → TLS says secure',
  '  of which: TCP connect',
  '  of which: TLS, connected → secure',
  '    until the ClientHello leaves',
  '    the listener\'s answer (its work + loopback)',
  '    the dialer reads the listener\'s flight',
  'secure → pin checked (certificates read, pin compared)',
  'total (to trust.check)',
];

/** The phases of one Lockstep connect, from the dialer's events. */
function phasesOf(events: { e: LockstepEvent; at: number }[], t0: number): Phases {
  // Events are handed out as they are emitted; a record's `t` is when its bytes passed. So the
  // bus's clock is found from one event handed out at once (tcp.connect is never deferred).
  const first = (pred: (e: LockstepEvent) => boolean) => events.find(({ e }) => pred(e));
  const tcp = first((e) => e.kind === 'tcp.connect')!;
  const offset = tcp.at - tcp.e.t;
  const at = (x: { e: LockstepEvent } | undefined) => (x ? x.e.t + offset : NaN);
  const tcpMs = tcp.e.kind === 'tcp.connect' ? tcp.e.detail.ms : NaN;
  const secure = first((e) => e.kind === 'tls.secure')!;
  const check = first((e) => e.kind === 'trust.check')!;
  const hello = first((e) => e.kind === 'tls.record' && e.dir === 'out');
  const flight = first((e) => e.kind === 'tls.record' && e.dir === 'in');
  const tcpStart = at(tcp) - tcpMs;
  const tlsDone = tcpStart + (secure.e.kind === 'tls.secure' ? secure.e.detail.handshakeMs : NaN);
  return {
    [PHASES[0]!]: tcpStart - t0,
    [PHASES[1]!]: tlsDone - tcpStart,
    [PHASES[2]!]: tcpMs,
    [PHASES[3]!]: tlsDone - at(tcp),
    [PHASES[4]!]: at(hello) - at(tcp),
    [PHASES[5]!]: at(flight) - at(hello),
    [PHASES[6]!]: tlsDone - at(flight),
    [PHASES[7]!]: check.at - tlsDone,
    [PHASES[8]!]: check.at - t0,
  };
}

async function lockstepContender(observe: 'none' | 'full') {
  const { port, pin, child } = await spawnListener([observe]);
  const pair = await LockstepPair.dialTo(port, pin, observe);
  return {
    connect: async (): Promise<Phases> => {
      const events: { e: LockstepEvent; at: number }[] = [];
      const stop = pair.dialer.events.subscribe((e) => events.push({ e, at: now() }));
      const t0 = now();
      await pair.connectOnce();
      stop();
      return phasesOf(events, t0);
    },
    close: async () => {
      await pair.close();
      await stopListener(child);
    },
  };
}

async function rawContender() {
  const client = await createIdentity(scratchDir('lockstep-bench-c-'), 'Baseline Client');
  const { port, pin, child } = await spawnListener(['raw', client.pin]);
  return {
    connect: async (): Promise<Phases> => {
      const c = await connectBaseline(port, client, pin);
      await c.close();
      // Its TCP and TLS are not told apart: tls.connect makes the context synchronously, before 'connect' can fire.
      return { [PHASES[1]!]: c.tlsSecureMs, [PHASES[7]!]: c.secureMs - c.tlsSecureMs, [PHASES[8]!]: c.secureMs };
    },
    close: () => stopListener(child),
  };
}

const n = Math.min(Number(process.argv[2] ?? 40), 45);
const labels = ['raw TLS', 'Lockstep, no observer', 'Lockstep (the app)'];
const contenders = [await rawContender(), await lockstepContender('none'), await lockstepContender('full')];
const samples = contenders.map((): Phases[] => []);
for (let i = 0; i < 5 + n; i++) {
  for (const [k, c] of contenders.entries()) {
    const phases = await c.connect();
    if (i >= 5) samples[k]!.push(phases);
    await sleep(25); // the closed connection's teardown, in both processes, before the next contender
  }
}
for (const c of contenders) await c.close();
const cell = (k: number, phase: string) => {
  const values = samples[k]!.map((p) => p[phase]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length > 0 ? fmtMs(median(values)) : '—';
};
console.log(`The dialer's connect, phase by phase, listener in its own process: medians of ${n} connects each\n`);
console.log(table(['phase', ...labels], PHASES.map((phase) => [phase, ...labels.map((_, k) => cell(k, phase))])));
process.exit(0);
