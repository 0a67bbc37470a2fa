import { useCallback, useEffect, useState } from 'react';

import { move, openingCursor, waiting, withMode, type Cursor, type Move, type StageMode } from '../../state/stage-cursor';
import { beatIndex, type Story } from '../../state/stage-story';

/** Live mode's pace: one new beat on screen at a time, slow enough to point at and name. */
export const LIVE_STEP_MS = 900;

export interface StageCursor {
  cursor: Cursor;
  /** Story index of the beat on screen (-1 before the first). */
  index: number;
  waiting: number;
  go(how: Move): void;
  goTo(index: number): void;
  setMode(mode: StageMode): void;
  /** Start over on another story (a session was loaded, or the live stream is back). */
  restart(next: Cursor): void;
}

export function useStageCursor(story: Story): StageCursor {
  const [cursor, setCursor] = useState<Cursor>(() => openingCursor(story));

  useEffect(() => {
    if (cursor.mode !== 'live' || waiting(story, cursor) <= 0) return;
    const timer = setTimeout(() => setCursor((c) => move(story, c, 'tick')), LIVE_STEP_MS);
    return () => clearTimeout(timer);
  }, [cursor, story]);

  const found = beatIndex(story, cursor.at);
  // A beat the bounded store has since dropped: stand on the oldest one kept.
  const index = found < 0 && cursor.at !== null && story.beats.length > 0 ? 0 : found;

  const go = useCallback((how: Move) => setCursor((c) => move(story, c, how)), [story]);
  const goTo = useCallback((i: number) => setCursor({ mode: 'step', at: story.beats[i]?.key ?? null }), [story]);
  const setMode = useCallback((mode: StageMode) => setCursor((c) => withMode(c, mode)), []);
  return { cursor, index, waiting: story.beats.length - 1 - index, go, goTo, setMode, restart: setCursor };
}
