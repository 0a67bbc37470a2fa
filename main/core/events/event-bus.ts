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
  /** A ring of the last `capacity` events: `ring[(start + i) % capacity]`, oldest first. */
  private readonly ring: LockstepEvent[] = [];
  private start = 0;
  private nextSeq = 1;
  private readonly listeners = new Set<Listener>();
  private readonly origin = performance.now();

  constructor(private readonly capacity = 20_000) {}

  /**
   * Stamps the input itself (every emitter builds a fresh object per event, so copying it would
   * only cost an allocation per event) and keeps it in the ring: O(1), no trimming copies.
   */
  emit(input: EventInput): LockstepEvent {
    const event = input as LockstepEvent;
    event.seq = this.nextSeq++;
    event.t = performance.now() - this.origin;
    event.at = Date.now();
    if (this.ring.length < this.capacity) this.ring.push(event);
    else {
      this.ring[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
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
    const ordered = this.start === 0 ? this.ring : [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.filter((e) => e.seq > sinceSeq);
  }
}
