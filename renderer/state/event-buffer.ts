import type { LockstepEvent } from '../../shared/events';

/** How many events the renderer keeps: enough for a long demo, bounded so memory is too. */
export const EVENT_LIMIT = 20_000;

/**
 * Merge a batch into the kept events, ordered by `seq`, without duplicates, keeping the newest
 * `limit`. Live batches arrive in order and after what we hold, so the common case is an append;
 * the backlog fetched at startup can overlap live batches, which takes the slow path once.
 */
export function mergeEvents(kept: readonly LockstepEvent[], batch: readonly LockstepEvent[], limit = EVENT_LIMIT): LockstepEvent[] {
  if (batch.length === 0) return kept as LockstepEvent[];
  const lastSeq = kept.length > 0 ? kept[kept.length - 1]!.seq : -Infinity;
  let appendable = batch[0]!.seq > lastSeq;
  for (let i = 1; appendable && i < batch.length; i++) appendable = batch[i]!.seq > batch[i - 1]!.seq;

  let merged: LockstepEvent[];
  if (appendable) {
    merged = kept.length + batch.length <= limit ? kept.concat(batch) : kept.slice(Math.max(0, kept.length + batch.length - limit)).concat(batch);
  } else {
    const bySeq = new Map<number, LockstepEvent>();
    for (const event of kept) bySeq.set(event.seq, event);
    for (const event of batch) bySeq.set(event.seq, event);
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}

/** The events of `batch` that `kept` does not hold yet (the backlog can repeat live events). */
export function freshEvents(kept: readonly LockstepEvent[], batch: readonly LockstepEvent[]): LockstepEvent[] {
  const lastSeq = kept.length > 0 ? kept[kept.length - 1]!.seq : -Infinity;
  if (batch.every((event) => event.seq > lastSeq)) return batch as LockstepEvent[];
  const seen = new Set(kept.map((event) => event.seq));
  return batch.filter((event) => !seen.has(event.seq));
}
