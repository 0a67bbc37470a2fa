import { afterEach, describe, expect, it, vi } from 'vitest';

import type { EventInput, LockstepEvent } from '../../../shared/events';
import { EventBus } from './event-bus';

const input = (n: number): EventInput => ({
  conn: `c${n}`,
  dir: 'local',
  layer: 'app',
  kind: 'app.error',
  summary: `event number ${n}`,
  detail: { code: 'X', message: String(n) },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('EventBus', () => {
  it('stamps strictly increasing seq and non-decreasing t, and keeps the input', () => {
    const bus = new EventBus();
    const seen: LockstepEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const returned = Array.from({ length: 50 }, (_, i) => bus.emit(input(i)));
    expect(seen).toEqual(returned);
    for (let i = 1; i < seen.length; i += 1) {
      expect(seen[i]!.seq).toBeGreaterThan(seen[i - 1]!.seq);
      expect(seen[i]!.t).toBeGreaterThanOrEqual(seen[i - 1]!.t);
    }
    expect(seen[7]).toMatchObject({ ...input(7) });
    expect(typeof seen[7]!.at).toBe('number');
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const bus = new EventBus();
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error('front-end bug');
    });
    bus.subscribe((e) => got.push(e.seq));
    expect(() => bus.emit(input(1))).not.toThrow();
    bus.emit(input(2));
    expect(got).toHaveLength(2);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = new EventBus();
    const got: number[] = [];
    const off = bus.subscribe((e) => got.push(e.seq));
    bus.emit(input(1));
    off();
    bus.emit(input(2));
    expect(got).toHaveLength(1);
  });

  it('batches: nothing before the interval, then everything in order in one batch', () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const batches: LockstepEvent[][] = [];
    bus.subscribeBatches((batch) => batches.push(batch), 50);
    const emitted = [1, 2, 3, 4, 5].map((n) => bus.emit(input(n)));
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([emitted]);
    vi.advanceTimersByTime(500);
    expect(batches).toHaveLength(1);
    const later = bus.emit(input(6));
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([emitted, [later]]);
  });

  it('batches in seq order: an event emitted into an earlier place comes before those emitted after the place was taken', () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const batches: LockstepEvent[][] = [];
    bus.subscribeBatches((batch) => batches.push(batch), 50);
    const first = bus.emit(input(1));
    const place = bus.reserve();
    const after = bus.emit(input(2));
    const late = bus.emit(input(3), place);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([[first, late, after]]);
    expect(batches[0]!.map((e) => e.seq)).toEqual([...batches[0]!.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('flushes what is pending when a batch subscriber unsubscribes, and then stays quiet', () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const batches: LockstepEvent[][] = [];
    const off = bus.subscribeBatches((batch) => batches.push(batch), 1000);
    const pending = [bus.emit(input(1)), bus.emit(input(2))];
    off();
    expect(batches).toEqual([pending]);
    bus.emit(input(3));
    vi.advanceTimersByTime(5000);
    expect(batches).toHaveLength(1);
  });

  it('bounds the backlog to its capacity, keeping the newest events', () => {
    const capacity = 100;
    const bus = new EventBus(capacity);
    const all = Array.from({ length: 1000 }, (_, i) => bus.emit(input(i)));
    const backlog = bus.backlog();
    expect(backlog).toHaveLength(capacity);
    expect(backlog).toEqual(all.slice(-capacity));
  });

  it('holds the backlog within the capacity at every step, not only at the end', () => {
    const capacity = 40;
    const bus = new EventBus(capacity);
    for (let i = 0; i < 500; i += 1) {
      bus.emit(input(i));
      expect(bus.backlog().length).toBeLessThanOrEqual(capacity);
    }
  });

  it('gives the backlog after a seq, for a window that reconnects', () => {
    const bus = new EventBus(1000);
    const all = Array.from({ length: 20 }, (_, i) => bus.emit(input(i)));
    expect(bus.backlog(all[14]!.seq)).toEqual(all.slice(15));
    expect(bus.backlog(all[19]!.seq)).toEqual([]);
    expect(bus.backlog()).toEqual(all);
  });
});
