import { useEffect, useState } from 'react';

import type { LockstepEvent } from '../../shared/events';
import type { Result } from '../../shared/views';
import { useEngineState } from './engine-context';
import { settle } from './result';

/** The seq of the newest kept event that `matches`, or 0: a cheap "something changed" signal for refetching. */
export function newestSeq(events: readonly LockstepEvent[], matches: (event: LockstepEvent) => boolean): number {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i]!;
    if (matches(event)) return event.seq;
  }
  return 0;
}

/** Re-renders with a new number whenever an event that `matches` arrives (the predicate must be stable). */
export function useEventSignal(matches: (event: LockstepEvent) => boolean): number {
  const events = useEngineState((s) => s.events);
  return newestSeq(events, matches);
}

export const isKeyChangeEvent = (event: LockstepEvent): boolean => event.kind === 'trust.key-change';
export const isDiscoveryEvent = (event: LockstepEvent): boolean => event.kind.startsWith('discovery.');

/**
 * A view fetched on mount and again whenever the signal changes. Keeps the last good value when a
 * refetch fails, and reports the failure in words.
 */
export function useRefetched<T>(fetch: () => Promise<Result<T>>, signal: number, initial: T): { value: T; error: string | null; set(value: T): void } {
  const [value, setValue] = useState<T>(initial);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void settle(fetch()).then((result) => {
      if (!live) return;
      if (result.ok) {
        setValue(result.value);
        setError(null);
      } else setError(result.error.message);
    });
    return () => {
      live = false;
    };
    // `fetch` is a fresh closure each render; the signal is what says "fetch again".
  }, [signal]);
  return { value, error, set: setValue };
}
