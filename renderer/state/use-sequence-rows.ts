import { useMemo, useState } from 'react';

import type { LockstepEvent } from '../../shared/events';
import { SequenceBuilder, type Row } from './sequence-steps';

/**
 * The rows of one connection, extended with each batch instead of rebuilt: a memo of
 * (events, epoch, conn), not state. Its builder starts over when the connection changes or the
 * store says events were inserted out of order (`epoch`). A render React throws away may already
 * have fed it newer events: harmless, since the events only ever grow at the end, so the rows
 * are the same as a fresh builder's.
 */
export class IncrementalRows {
  private builder: SequenceBuilder | null = null;
  private epoch = 0;

  rowsOf(events: readonly LockstepEvent[], epoch: number, conn: string | null): Row[] {
    if (!conn) return [];
    if (!this.builder || this.builder.conn !== conn || this.epoch !== epoch) {
      this.builder = new SequenceBuilder(conn);
      this.epoch = epoch;
    }
    this.builder.add(events);
    if (events.length > 0) this.builder.dropBefore(events[0]!.seq);
    return this.builder.rows();
  }
}

/** The diagram rows of one connection (see IncrementalRows): one memo per component. */
export function useSequenceRows(events: readonly LockstepEvent[], epoch: number, conn: string | null): Row[] {
  const [rows] = useState(() => new IncrementalRows());
  return useMemo(() => rows.rowsOf(events, epoch, conn), [rows, events, epoch, conn]);
}
