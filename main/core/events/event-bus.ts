/**
 * The engine's event bus: stamps each event (seq, t, at), keeps the recent ones in a bounded
 * buffer for late subscribers (a window that opens after the connection did), and delivers
 * either one by one (the headless peer) or in batches (the desktop UI, where 10,000 events must
 * not mean 10,000 IPC messages).
 */
import { performance } from 'node:perf_hooks';

import type { EventInput, LockstepEvent } from '../../../shared/events';

type Listener = (event: LockstepEvent) => void;

/**
 * A place on the bus taken before its events exist: the record observer takes one as a record's
 * bytes pass and reports the record on a later turn (record-observer.ts, `slots`). Its events get
 * the seqs, and the time, of the moment the place was taken, so whoever orders by seq sees them
 * where they happened. A place holds SLOT_SIZE events (a record and the alert it carried); any
 * further one is stamped as new. Seqs stay whole numbers; an unused one is a gap, never a loss.
 */
export interface EventSlot {
  readonly seq: number;
  readonly t: number;
  readonly at: number;
  /** Events already emitted into this slot. */
  used: number;
}

export const SLOT_SIZE = 2;

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
  emit(input: EventInput, slot?: EventSlot): LockstepEvent {
    const event = input as LockstepEvent;
    if (slot && slot.used < SLOT_SIZE) {
      event.seq = slot.seq + slot.used++;
      event.t = slot.t;
      event.at = slot.at;
    } else {
      event.seq = this.nextSeq++;
      event.t = performance.now() - this.origin;
      event.at = Date.now();
    }
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

  /** Take the next seq for an event that will be emitted later, in this place (see EventSlot). */
  reserve(): EventSlot {
    const slot = { seq: this.nextSeq, t: performance.now() - this.origin, at: Date.now(), used: 0 };
    this.nextSeq += SLOT_SIZE;
    return slot;
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
      // A record decrypted a turn late carries the seq of the place it took (reserve()): a batch
      // is handed over in seq order, so a reader that appends batches keeps the wire's order.
      if (!inSeqOrder(batch)) batch.sort((a, b) => a.seq - b.seq);
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

  /** Events still held with seq greater than sinceSeq, in seq order (a slot's events were kept when emitted, later). */
  backlog(sinceSeq = 0): LockstepEvent[] {
    const ordered = this.start === 0 ? this.ring : [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.filter((e) => e.seq > sinceSeq).sort((a, b) => a.seq - b.seq);
  }
}

function inSeqOrder(events: readonly LockstepEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i]!.seq < events[i - 1]!.seq) return false;
  return true;
}
