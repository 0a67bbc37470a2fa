/**
 * Real engines for the browser suite: each in its own throwaway profile, listening on loopback
 * port 0, with a recorder of its event stream. Waiting helpers fail with what was awaited and
 * what was seen instead; a deadline is a safety net, never the thing under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { EventBase, EventKind, LockstepEvent } from '../../../shared/events';
import { dispatch } from '../../../main/core/api/dispatch';
import { engineHandlers } from '../../../main/core/api/handlers';
import { type Messenger, type MessengerOptions, openMessenger } from '../../../main/core/messenger/messenger';
import type { ArgOf, ChannelName, LockstepHandlers, ResultOf } from '../../../shared/ipc-contract';
import type { Result } from '../../../shared/views';

export const WAIT_MS = 15_000;

export type EventOf<K extends EventKind> = EventBase<K> & LockstepEvent;

/**
 * Every event an engine emitted, in the order of its `seq`: for an engine in the test process,
 * its bus backlog first and then live; for an app, the batches main sent to its window.
 */
export class EventRecorder {
  readonly all: LockstepEvent[] = [];
  private readonly seen = new Set<number>();
  private readonly waiters = new Set<() => void>();
  stop: () => void = () => {};

  constructor(initial: readonly LockstepEvent[]) {
    this.add(initial);
  }

  static of(messenger: Messenger): EventRecorder {
    const recorder = new EventRecorder(messenger.events.backlog());
    recorder.stop = messenger.events.subscribe((event) => recorder.add([event]));
    return recorder;
  }

  /** Add events (a repeat of one already held, by seq, is ignored). */
  add(events: readonly LockstepEvent[]): void {
    for (const event of events) {
      if (this.seen.has(event.seq)) continue;
      this.seen.add(event.seq);
      this.all.push(event);
    }
    for (const waiter of [...this.waiters]) waiter();
  }

  of<K extends EventKind>(kind: K, where: (event: EventOf<K>) => boolean = () => true): EventOf<K>[] {
    return this.all.filter((event): event is EventOf<K> => event.kind === kind && where(event as EventOf<K>));
  }

  waitFor<K extends EventKind>(kind: K, where: (event: EventOf<K>) => boolean = () => true, what = `event ${kind}`, timeoutMs = WAIT_MS): Promise<EventOf<K>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.of(kind, where)[0];
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const tail = this.all.slice(-12).map((e) => `${e.conn ?? '-'} ${e.kind}: ${e.summary}`);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last events:\n  ${tail.join('\n  ')}`));
      }, timeoutMs);
      const onEvent = () => void check();
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(onEvent);
      };
      if (!check()) this.waiters.add(onEvent);
    });
  }
}

/** The engine's recent story in one line per event (records and secrets left out), for failure messages. */
export function recentEvents(engine: Pick<Engine, 'label' | 'events'>, count = 20): string {
  const lines = engine.events.all
    .filter((e) => e.kind !== 'tls.record' && e.kind !== 'tls.keylog')
    .slice(-count)
    .map((e) => `  ${Math.round(e.t)} ms ${e.conn ?? '-'} ${e.kind}: ${e.summary}`);
  return `${engine.label}'s engine, last ${lines.length} events:\n${lines.join('\n')}`;
}

/** Run `body`; if it fails, add what the engines last did to the error message. */
export async function withEngineStory<T>(engines: () => Pick<Engine, 'label' | 'events'>[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) error.message += `\n\n${engines().map((engine) => recentEvents(engine)).join('\n\n')}`;
    throw error;
  }
}

export interface Engine {
  label: string;
  dir: string;
  messenger: Messenger;
  events: EventRecorder;
}

/** Opens engines in temp profiles and closes and removes them all at the end. */
export class EngineLab {
  private readonly engines: Engine[] = [];

  /** A fresh profile (no identity yet: the page's first-run screen picks the name). */
  async open(label: string, options: Partial<MessengerOptions> = {}): Promise<Engine> {
    const dir = mkdtempSync(join(tmpdir(), `lockstep-e2e-${label.toLowerCase().replace(/\W/g, '')}-`));
    const messenger = await openMessenger({ listen: { host: '127.0.0.1', port: 0 }, unknownPeers: 'ask', ...options, profileDir: dir });
    const engine = { label, dir, messenger, events: EventRecorder.of(messenger) };
    this.engines.push(engine);
    return engine;
  }

  /** A fresh profile with an identity already made (for engines no page drives, such as Mallory). */
  async withIdentity(name: string, options: Partial<MessengerOptions> = {}): Promise<Engine> {
    const engine = await this.open(name, options);
    await engine.messenger.createIdentity(name);
    return engine;
  }

  async close(engine: Engine): Promise<void> {
    const index = this.engines.indexOf(engine);
    if (index < 0) return;
    this.engines.splice(index, 1);
    engine.events.stop();
    await engine.messenger.close().catch(() => undefined);
    rmSync(engine.dir, { recursive: true, force: true });
  }

  async cleanup(): Promise<void> {
    for (const engine of [...this.engines].reverse()) await this.close(engine);
  }
}

/** `host:port` the engine listens on (it must be listening). */
export function addressOf(engine: Engine): string {
  const { port, addresses } = engine.messenger.network();
  if (!port) throw new Error(`${engine.label}'s engine is not listening`);
  return `${addresses[0] ?? '127.0.0.1'}:${port}`;
}

/** Poll until `condition` returns something truthy; fail with `what` after the deadline. */
export async function waitUntil<T>(condition: () => T | Promise<T>, what: string, timeoutMs = WAIT_MS): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * One call to an engine no window drives (Mallory, a replaced Bob), through the same `dispatch`
 * and handlers main registers; the two shell-only calls are refused.
 */
export function callEngine<K extends ChannelName>(messenger: Messenger, name: K, arg: ArgOf<K>): Promise<Result<ResultOf<K>>> {
  const refuse = () => {
    throw Object.assign(new Error('not available without a window'), { code: 'NO_WINDOW' });
  };
  const handlers: LockstepHandlers = { ...engineHandlers(messenger), copyText: refuse, openExternal: refuse };
  return dispatch(handlers, name, arg) as Promise<Result<ResultOf<K>>>;
}
