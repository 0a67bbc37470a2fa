import { useMemo, useRef } from 'react';

import type { LockstepEvent } from '../../shared/events';
import { SequenceBuilder, type Row } from './sequence-steps';

/**
 * The diagram rows of one connection, extended with each batch instead of rebuilt. The builder
 * lives across renders; it starts over when the connection changes or the store says events
 * were inserted out of order (`epoch`). A render React throws away may already have fed the
 * builder newer events: harmless, since the events only ever grow at the end.
 */
export function useSequenceRows(events: readonly LockstepEvent[], epoch: number, conn: string | null): Row[] {
  const cache = useRef<{ builder: SequenceBuilder; epoch: number } | null>(null);
  return useMemo(() => {
    if (!conn) return [];
    let c = cache.current;
    if (!c || c.builder.conn !== conn || c.epoch !== epoch) {
      c = { builder: new SequenceBuilder(conn), epoch };
      cache.current = c;
    }
    c.builder.add(events);
    if (events.length > 0) c.builder.dropBefore(events[0]!.seq);
    return c.builder.rows();
  }, [events, epoch, conn]);
}
