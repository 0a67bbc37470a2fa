/**
 * Recording a messenger's event stream and waiting for a particular event in it. The recorder
 * starts from the bus backlog, so nothing emitted before the subscription is missed.
 */
import type { EventBase, EventKind, LockstepEvent } from '../../shared/events';
import type { EventBus } from '../../main/core/events/event-bus';
import { DEFAULT_WAIT_MS } from './wait';

export type EventOf<K extends EventKind> = EventBase<K> & LockstepEvent;

export class EventLog {
  readonly all: LockstepEvent[];
  private readonly waiters = new Set<() => void>();
  readonly stop: () => void;

  constructor(bus: EventBus) {
    this.all = [...bus.backlog()];
    this.stop = bus.subscribe((e) => {
      this.all.push(e);
      for (const w of [...this.waiters]) w();
    });
  }

  of<K extends EventKind>(kind: K, where: (e: EventOf<K>) => boolean = () => true): EventOf<K>[] {
    return this.all.filter((e): e is EventOf<K> => e.kind === kind && where(e as EventOf<K>));
  }

  onConn(conn: string | null): LockstepEvent[] {
    return this.all.filter((e) => e.conn === conn);
  }

  /** The `count`-th event of this kind matching `where` (past or future), or a clear failure. */
  waitFor<K extends EventKind>(
    kind: K,
    where: (e: EventOf<K>) => boolean = () => true,
    { timeoutMs = DEFAULT_WAIT_MS, count = 1, what }: { timeoutMs?: number; count?: number; what?: string } = {},
  ): Promise<EventOf<K>> {
    const match = (e: LockstepEvent): e is EventOf<K> => e.kind === kind && where(e as EventOf<K>);
    return this.waitMatch(match, { timeoutMs, count, what: what ?? `event "${kind}"` }) as Promise<EventOf<K>>;
  }

  /** The `count`-th event of any kind matching `match` (past or future), or a clear failure. */
  waitMatch(
    match: (e: LockstepEvent) => boolean,
    { timeoutMs = DEFAULT_WAIT_MS, count = 1, what = 'a matching event' }: { timeoutMs?: number; count?: number; what?: string } = {},
  ): Promise<LockstepEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.all.filter(match);
        if (found.length < count) return false;
        cleanup();
        resolve(found[count - 1]!);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const tail = this.all.slice(-15).map((e) => `${e.conn ?? '-'} ${e.kind} ${['conn.closed', 'tls.error', 'app.error', 'trust.check'].includes(e.kind) ? JSON.stringify(e.detail) : ''}`);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${count > 1 ? ` (#${count})` : ''}. Last events:\n  ${tail.join('\n  ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(onEvent);
      };
      const onEvent = () => void check();
      if (!check()) this.waiters.add(onEvent);
    });
  }
}
