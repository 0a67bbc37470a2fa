/**
 * Lockstep's side of the benchmark: two real Messenger engines (`openMessenger`) in one process
 * talking over loopback, each with its own profile (identity, SQLite store), the tap and the
 * record observer decrypting every record on both sides, and the event bus — exactly the code
 * the desktop app and the headless peer run. Timings come from the engines' own events.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { LockstepEvent } from '../shared/events';
import { type Messenger, openMessenger } from '../main/core/messenger/messenger';
import type { TlsTuning } from '../main/core/net/tls-options';
import type { Observation } from '../main/core/net/connection';
import { now, scratchDir, sendInChunks, until } from './stats';

type Pred = (e: LockstepEvent) => boolean;

/** The next event on `m` matching `pred` (subscribed before the action that causes it). */
export function nextEvent(m: Messenger, pred: Pred, what: string, timeoutMs = 30_000): Promise<LockstepEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const stop = m.events.subscribe((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      stop();
      resolve(e);
    });
  });
}

/** Never let the reconnector redial behind the benchmark's back when it closes a session. */
export const NO_AUTOMATIC_RETRY = { retryInitialMs: 3_600_000, retryMaxMs: 3_600_000 };

export class LockstepPair {
  private constructor(
    /** null when the listener runs in another process (bench/two-process.ts): only the dialer's events are seen. */
    readonly listener: Messenger | null,
    readonly dialer: Messenger,
    /** The listener, as a contact in the dialer's profile. */
    readonly contactId: string,
    private readonly dirs: string[],
  ) {}

  /**
   * `dialerTuning`: the dialer's TLS settings (bench/handshake-groups.ts restricts its groups).
   * `observe`: how much of the record observer runs on both sides (the app: 'full').
   */
  static async open(dialerTuning: TlsTuning = {}, observe: Observation = 'full'): Promise<LockstepPair> {
    const dirs = [scratchDir('lockstep-bench-l-'), scratchDir('lockstep-bench-d-')];
    const listener = await openMessenger({
      profileDir: dirs[0]!,
      listen: { host: '127.0.0.1', port: 0 },
      unknownPeers: 'accept',
      timeouts: NO_AUTOMATIC_RETRY,
      observe,
    });
    await listener.createIdentity('Bench Listener');
    const dialer = await openMessenger({ profileDir: dirs[1]!, listen: false, unknownPeers: 'refuse', timeouts: NO_AUTOMATIC_RETRY, tuning: dialerTuning, observe });
    await dialer.createIdentity('Bench Dialer');
    const port = listener.network().port;
    if (!port) throw new Error(`bench: the listener is not listening (${listener.network().error?.message ?? 'no error'})`);
    const contact = dialer.addContact({ address: `127.0.0.1:${port}`, pin: listener.identity.pin, name: 'Bench Listener' });
    return new LockstepPair(listener, dialer, contact.id, dirs);
  }

  /** A dialer in this process, for a listener elsewhere (bench/listener-process.ts) at `port` with `pin`. */
  static async dialTo(port: number, pin: string, observe: Observation = 'full'): Promise<LockstepPair> {
    const dir = scratchDir('lockstep-bench-d-');
    const dialer = await openMessenger({ profileDir: dir, listen: false, unknownPeers: 'refuse', timeouts: NO_AUTOMATIC_RETRY, observe });
    await dialer.createIdentity('Bench Dialer');
    const contact = dialer.addContact({ address: `127.0.0.1:${port}`, pin, name: 'Bench Listener' });
    return new LockstepPair(null, dialer, contact.id, [dir]);
  }

  /** The listener here, for what only its events can tell. */
  private here(what: string): Messenger {
    if (!this.listener) throw new Error(`bench: ${what} needs the listener in this process`);
    return this.listener;
  }

  /**
   * Dial once and close again. secureMs: from `connect()` to the dialer's `trust.check` match
   * (TLS done, pin checked); readyMs: to the dialer's `conn.ready` (both hellos exchanged).
   */
  async connectOnce(keepOpen = false): Promise<{ secureMs: number; readyMs: number }> {
    const checked = nextEvent(this.dialer, (e) => e.kind === 'trust.check' && e.detail.role === 'dialer', 'the dialer\'s trust.check');
    const ready = nextEvent(this.dialer, (e) => e.kind === 'conn.ready', 'the dialer\'s conn.ready');
    const listenerReady = this.listener ? nextEvent(this.listener, (e) => e.kind === 'conn.ready', 'the listener\'s conn.ready') : null;
    const t0 = now();
    this.dialer.connect(this.contactId).catch(() => undefined); // failures surface as a timeout below
    const check = await checked;
    const secureMs = now() - t0;
    if (check.kind !== 'trust.check' || check.detail.verdict !== 'match') throw new Error(`bench: pin check said ${JSON.stringify(check.detail)}`);
    await ready;
    const readyMs = now() - t0;
    await listenerReady;
    if (!keepOpen) await this.disconnect();
    return { secureMs, readyMs };
  }

  /** Close the dialer's session politely and wait until both engines saw it closed. */
  async disconnect(): Promise<void> {
    const { state, connId } = this.dialer.connection(this.contactId);
    if (state !== 'ready' || !connId) return;
    const closedHere = nextEvent(this.dialer, (e) => e.kind === 'conn.closed' && e.conn === connId, 'the dialer\'s conn.closed');
    const closedThere = this.listener ? nextEvent(this.listener, (e) => e.kind === 'conn.closed', 'the listener\'s conn.closed') : null;
    this.dialer.disconnect(this.contactId, 'benchmark iteration done');
    await Promise.all([closedHere, closedThere]);
  }

  /** Send one message and resolve when its `message.delivered` arrives; returns ms. */
  async roundTrip(text: string): Promise<number> {
    let id = '';
    let resolveDelivered!: () => void;
    const delivered = new Promise<void>((resolve) => (resolveDelivered = resolve));
    const stop = this.dialer.events.subscribe((e) => {
      if (e.kind === 'message.delivered' && e.detail.messageId === id) resolveDelivered();
    });
    const t0 = now();
    id = this.dialer.send(this.contactId, text).id;
    await this.guard(delivered, 'an ack', 30_000);
    const ms = now() - t0;
    stop();
    return ms;
  }

  /**
   * Send `n` messages as fast as `send` takes them (in chunks, yielding between them); resolves
   * when the listener has received all of them (`message.received`), then waits for the last
   * ack so the next phase starts clean. `sendMs`: mean time spent inside one `send()` call.
   */
  async throughput(n: number, textOf: (i: number) => string): Promise<{ ms: number; records: number; sendMs: number }> {
    let received = 0;
    let delivered = 0;
    let records = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const stopListener = this.here('throughput').events.subscribe((e) => {
      if (e.kind === 'tls.record') records += 1;
      else if (e.kind === 'message.received' && ++received === n) resolveAll();
    });
    const stopDialer = this.dialer.events.subscribe((e) => {
      if (e.kind === 'tls.record') records += 1;
      else if (e.kind === 'message.delivered') delivered += 1;
    });
    let sendMs = 0;
    const t0 = now();
    await sendInChunks(n, (i) => {
      const s0 = now();
      this.dialer.send(this.contactId, textOf(i));
      sendMs += now() - s0;
    });
    await this.guard(all, `${n} messages at the listener`, Math.max(60_000, n * 10), () => `${received} received`);
    const ms = now() - t0;
    await until(() => delivered >= n, `${n} acks`);
    stopListener();
    stopDialer();
    return { ms, records, sendMs: sendMs / n };
  }

  /**
   * Send `total` messages with at most `window` unacknowledged; resolves when all are delivered.
   * Fails (with both engines' last events) if no ack arrives for `stallMs`.
   */
  soak(total: number, textOf: (i: number) => string, window = 1_000, onProgress?: (delivered: number) => void, stallMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let sent = 0;
      let delivered = 0;
      let scheduled = false;
      let lastProgress = Date.now();
      const pump = () => {
        scheduled = false;
        while (sent < total && sent - delivered < window) this.dialer.send(this.contactId, textOf(sent++));
      };
      const finish = (err?: Error) => {
        stop();
        clearInterval(watchdog);
        if (err) reject(err);
        else resolve();
      };
      const watchdog = setInterval(() => {
        if (Date.now() - lastProgress < stallMs) return;
        finish(new Error(`bench: no ack for ${stallMs / 1000} s after ${delivered} of ${total} (${sent} sent).\n${this.describe()}`));
      }, 1_000);
      const stop = this.dialer.events.subscribe((e) => {
        if (e.kind !== 'message.delivered') return;
        delivered += 1;
        lastProgress = Date.now();
        if (onProgress && delivered % 100_000 === 0) onProgress(delivered);
        if (delivered === total) finish();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      });
      pump();
    });
  }

  /** `promise`, or a failure naming `what` and both engines' state if it takes longer than `ms`. */
  private async guard<T>(promise: Promise<T>, what: string, ms: number, progress: () => string = () => ''): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`bench: timed out after ${ms / 1000} s waiting for ${what} ${progress()}\n${this.describe()}`)), ms);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Both engines' connection state and last few non-record events, for a stall report. */
  describe(): string {
    const lines: string[] = [];
    for (const [name, m] of [['dialer', this.dialer], ['listener', this.listener]] as const) {
      if (!m) continue;
      const contactId = name === 'dialer' ? this.contactId : null;
      lines.push(`${name}${contactId ? ` (link ${m.connectionState(contactId)}, outbox ${m.messages.queuedCount(contactId)})` : ''}:`);
      const recent = m.events.backlog().filter((e) => !['tls.record', 'frame.in', 'frame.out', 'message.sent', 'message.received', 'message.delivered', 'contact.changed'].includes(e.kind));
      for (const e of recent.slice(-12)) lines.push(`  ${e.seq} ${e.conn ?? '-'} ${e.kind}: ${e.summary.slice(0, 160)}`);
    }
    return lines.join('\n');
  }

  /** Bytes of both profiles' databases (history is kept on disk, sealed, not in memory). */
  databaseBytes(): number {
    let total = 0;
    for (const dir of this.dirs) {
      for (const name of ['lockstep.db', 'lockstep.db-wal']) {
        try {
          total += statSync(join(dir, name)).size;
        } catch {
          // not there (yet)
        }
      }
    }
    return total;
  }

  async close(): Promise<void> {
    await this.dialer.close();
    await this.listener?.close();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
