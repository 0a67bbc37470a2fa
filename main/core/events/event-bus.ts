/**
 * The engine's event bus: stamps each event (seq, t, at), keeps the recent ones in a bounded
 * buffer for late subscribers (a window that opens after the connection did), and delivers
 * either one by one (the headless peer) or in batches (the desktop UI, where 10,000 events must
 * not mean 10,000 IPC messages).
 */
import { performance } from 'node:perf_hooks';

import type { EventInput, LockstepEvent } from '../../../shared/events';

type Listener = (event: LockstepEvent) => void;

export class EventBus {
  private recent: LockstepEvent[] = [];
  private nextSeq = 1;
  private readonly listeners = new Set<Listener>();
  private readonly origin = performance.now();

  constructor(private readonly capacity = 20_000) {}

  emit(input: EventInput): LockstepEvent {
    const event = { ...input, seq: this.nextSeq++, t: performance.now() - this.origin, at: Date.now() } as LockstepEvent;
    this.recent.push(event);
    // Trim in chunks so the buffer costs O(1) per event on average.
    if (this.recent.length > this.capacity * 1.25) this.recent = this.recent.slice(-this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A front end's bug must not stop the engine or the other listeners.
      }
    }
    return event;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deliver events in batches, at most one batch per interval. */
  subscribeBatches(listener: (batch: LockstepEvent[]) => void, intervalMs = 50): () => void {
    let pending: LockstepEvent[] = [];
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      if (batch.length > 0) listener(batch);
    };
    const unsubscribe = this.subscribe((event) => {
      pending.push(event);
      timer ??= setTimeout(flush, intervalMs);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      flush();
    };
  }

  /** Events still held with seq greater than sinceSeq, oldest first. */
  backlog(sinceSeq = 0): LockstepEvent[] {
    const recent = this.capacity < this.recent.length ? this.recent.slice(-this.capacity) : this.recent;
    return recent.filter((e) => e.seq > sinceSeq);
  }
}
