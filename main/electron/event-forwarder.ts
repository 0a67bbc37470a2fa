/**
 * Pushes the engine's event batches to the window on the one events channel. Batching (the
 * engine's job) keeps a burst of records — thousands in a tamper drill — to a few IPC messages.
 */
import { EVENTS_CHANNEL } from '../../shared/ipc-contract';
import type { LockstepEvent } from '../../shared/events';

export interface EventBatchSource {
  subscribeBatches(listener: (batch: LockstepEvent[]) => void, intervalMs?: number): () => void;
}

/** What we use of a webContents. */
export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Fast enough to feel live in the panel, slow enough to keep IPC traffic small. */
export const BATCH_INTERVAL_MS = 50;

/** Start forwarding; returns the unsubscribe function. A closed window just stops receiving. */
export function forwardEvents(source: EventBatchSource, sink: EventSink, intervalMs = BATCH_INTERVAL_MS): () => void {
  return source.subscribeBatches((batch) => {
    if (batch.length > 0 && !sink.isDestroyed()) sink.send(EVENTS_CHANNEL, batch);
  }, intervalMs);
}
