import { describe, expect, it } from 'vitest';

import { EVENTS_CHANNEL } from '../../shared/ipc-contract';
import type { LockstepEvent } from '../../shared/events';
import { BATCH_INTERVAL_MS, forwardEvents, type EventBatchSource, type EventSink } from './event-forwarder';

class FakeEvents implements EventBatchSource {
  listener: ((batch: LockstepEvent[]) => void) | null = null;
  interval: number | undefined;
  subscribeBatches(listener: (batch: LockstepEvent[]) => void, intervalMs?: number): () => void {
    this.listener = listener;
    this.interval = intervalMs;
    return () => (this.listener = null);
  }
}

class FakeContents implements EventSink {
  destroyed = false;
  sent: [string, unknown[]][] = [];
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args]);
  }
}

const batch = [{ seq: 1, kind: 'tcp.accept' }] as unknown as LockstepEvent[];

describe('forwardEvents', () => {
  it('sends each batch on the events channel', () => {
    const events = new FakeEvents();
    const contents = new FakeContents();
    forwardEvents(events, contents);
    events.listener?.(batch);
    expect(contents.sent).toEqual([[EVENTS_CHANNEL, [batch]]]);
    expect(events.interval).toBe(BATCH_INTERVAL_MS);
  });

  it('skips empty batches and a destroyed window, and unsubscribes', () => {
    const events = new FakeEvents();
    const contents = new FakeContents();
    const stop = forwardEvents(events, contents, 10);
    events.listener?.([]);
    contents.destroyed = true;
    events.listener?.(batch);
    expect(contents.sent).toEqual([]);
    stop();
    expect(events.listener).toBeNull();
  });
});
