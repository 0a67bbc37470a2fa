import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { backoffDelay, type BackoffOptions, Reconnector } from './reconnector';

const OPTS: BackoffOptions = { initialMs: 500, maxMs: 30_000, jitter: 0.3 };
const middle = () => 0.5; // no jitter: random() * 2 - 1 === 0
const lowest = () => 0;
const highest = () => 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops growing at the maximum', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, OPTS, middle));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
  });

  it('stays at the maximum for very late attempts (no overflow to Infinity or NaN)', () => {
    for (const attempt of [50, 1_000, 5_000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(attempt, OPTS, middle), `attempt ${attempt}`).toBe(30_000);
      expect(backoffDelay(attempt, OPTS, highest)).toBeLessThanOrEqual(Math.round(30_000 * 1.3));
    }
  });

  it('treats attempt 0 or below like the first attempt', () => {
    expect(backoffDelay(0, OPTS, middle)).toBe(500);
    expect(backoffDelay(-3, OPTS, middle)).toBe(500);
  });

  it('jitters within ±30 %: the extremes of random() give 0.7× and 1.3× the base delay', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const base = backoffDelay(attempt, OPTS, middle);
      expect(backoffDelay(attempt, OPTS, lowest), `attempt ${attempt}, random 0`).toBe(Math.round(base * 0.7));
      expect(backoffDelay(attempt, OPTS, highest), `attempt ${attempt}, random →1`).toBe(Math.round(base * 1.3));
      for (const r of [0.1, 0.25, 0.4, 0.6, 0.75, 0.9]) {
        const d = backoffDelay(attempt, OPTS, () => r);
        expect(d, `attempt ${attempt}, random ${r}`).toBeGreaterThanOrEqual(Math.floor(base * 0.7));
        expect(d).toBeLessThanOrEqual(Math.ceil(base * 1.3));
        expect(d).toBe(Math.round(base + base * 0.3 * (r * 2 - 1)));
      }
    }
  });

  it('spreads two peers that lost each other at the same moment (different random draws, different delays)', () => {
    expect(backoffDelay(3, OPTS, () => 0.2)).not.toBe(backoffDelay(3, OPTS, () => 0.8));
    // Uses Math.random when no source is given, and still stays in range.
    for (let i = 0; i < 200; i += 1) {
      const d = backoffDelay(4, OPTS);
      expect(d).toBeGreaterThanOrEqual(2_800);
      expect(d).toBeLessThanOrEqual(5_200);
    }
  });

  it('without jitter is exact, and is never negative', () => {
    const exact = { initialMs: 100, maxMs: 1_000, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, exact, lowest))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(1, { initialMs: 10, maxMs: 10, jitter: 1 }, lowest)).toBe(0);
  });
});

describe('Reconnector', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const NO_JITTER: BackoffOptions = { initialMs: 100, maxMs: 1_000, jitter: 0 };

  function make() {
    const attempts: string[] = [];
    const changes: string[] = [];
    const r = new Reconnector(
      async (id) => {
        attempts.push(id);
      },
      (id) => changes.push(id),
      NO_JITTER,
    );
    return { r, attempts, changes };
  }

  it('attempts after the backoff delay, growing with each scheduled attempt', async () => {
    const { r, attempts } = make();
    r.schedule('c1');
    expect(r.nextAttemptAt('c1')).toBe(new Date(Date.now() + 100).toISOString());
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual(['c1']);
    expect(r.nextAttemptAt('c1')).toBeNull();
    r.schedule('c1'); // the attempt failed: attempt #2
    await vi.advanceTimersByTimeAsync(199);
    expect(attempts).toEqual(['c1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual(['c1', 'c1']);
    r.schedule('c1'); // attempt #3 after 400 ms
    await vi.advanceTimersByTimeAsync(400);
    expect(attempts).toHaveLength(3);
  });

  it('keeps at most one pending attempt per contact', async () => {
    const { r, attempts } = make();
    r.schedule('c1');
    r.schedule('c1');
    r.schedule('c1');
    r.schedule('c2');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts.sort()).toEqual(['c1', 'c2']);
  });

  it('forgets the backoff after success: the next loss starts from the initial delay again', async () => {
    const { r, attempts } = make();
    r.schedule('c1');
    await vi.advanceTimersByTimeAsync(100);
    r.schedule('c1');
    await vi.advanceTimersByTimeAsync(200);
    expect(attempts).toHaveLength(2);
    r.succeeded('c1');
    r.schedule('c1');
    expect(r.nextAttemptAt('c1')).toBe(new Date(Date.now() + 100).toISOString());
  });

  it('cancel and stopAll clear pending attempts', async () => {
    const { r, attempts, changes } = make();
    r.schedule('c1');
    r.schedule('c2');
    r.cancel('c1');
    expect(r.nextAttemptAt('c1')).toBeNull();
    expect(changes).toContain('c1');
    r.stopAll();
    expect(r.nextAttemptAt('c2')).toBeNull();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(attempts).toEqual([]);
  });

  it('survives an attempt that rejects (the caller schedules the next one)', async () => {
    const attempts: number[] = [];
    const r = new Reconnector(
      async () => {
        attempts.push(Date.now());
        throw new Error('refused');
      },
      () => undefined,
      NO_JITTER,
    );
    r.schedule('c1');
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(1);
    r.schedule('c1');
    await vi.advanceTimersByTimeAsync(200);
    expect(attempts).toHaveLength(2);
  });
});
