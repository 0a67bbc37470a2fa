/**
 * Where the stage is in its story, and how the presenter moves. The cursor holds a beat's key,
 * not its index: a live stream can add beats to an earlier scene (Eve's verdict lands after the
 * reconnection began) without the step on screen moving under the presenter.
 *
 *   step  the cursor stays put; new beats wait until the presenter steps on (space, →)
 *   live  the cursor follows the newest beat, one beat per tick, so nothing flashes by
 */
import { beatIndex, type Story } from './stage-story';

export type StageMode = 'step' | 'live';

export interface Cursor {
  mode: StageMode;
  /** The beat on screen; null before the first one. */
  at: string | null;
}

export type Move =
  | 'next'
  | 'back'
  | 'first'
  | 'last'
  | 'next-milestone'
  | 'back-milestone'
  | 'next-scene'
  | 'back-scene'
  /** Live mode's pace: one beat further, if there is one. */
  | 'tick';

/** Live mode never lags further behind than this: older beats are passed over at once. */
export const LIVE_MAX_BEHIND = 30;

/** Where a stage opening on this story starts: the first beat of its latest scene. */
export function openingCursor(story: Story, mode: StageMode = 'step'): Cursor {
  const scene = story.scenes[story.scenes.length - 1];
  return { mode, at: scene ? story.beats[scene.first]!.key : null };
}

function at(story: Story, index: number): string | null {
  if (story.beats.length === 0) return null;
  return story.beats[Math.max(0, Math.min(index, story.beats.length - 1))]!.key;
}

function findFrom(story: Story, from: number, step: 1 | -1, test: (i: number) => boolean): number {
  for (let i = from; i >= 0 && i < story.beats.length; i += step) if (test(i)) return i;
  return -1;
}

/** The cursor after a move; modes are kept except that stepping by hand leaves live mode. */
export function move(story: Story, cursor: Cursor, how: Move): Cursor {
  const n = story.beats.length;
  if (n === 0) return cursor;
  const i = beatIndex(story, cursor.at);
  const step = (key: string | null): Cursor => ({ mode: 'step', at: key });
  switch (how) {
    case 'next':
      return step(at(story, i + 1));
    case 'back':
      return step(at(story, Math.max(0, i - 1)));
    case 'first':
      return step(at(story, 0));
    case 'last':
      return step(at(story, n - 1));
    case 'next-milestone': {
      const found = findFrom(story, i + 1, 1, (j) => story.beats[j]!.milestone);
      return step(at(story, found < 0 ? n - 1 : found));
    }
    case 'back-milestone': {
      const found = findFrom(story, i - 1, -1, (j) => story.beats[j]!.milestone);
      return step(at(story, found < 0 ? 0 : found));
    }
    case 'next-scene': {
      const scene = story.scenes.find((s) => s.first > i);
      return step(scene ? at(story, scene.first) : at(story, n - 1));
    }
    case 'back-scene': {
      const current = i < 0 ? undefined : story.scenes[story.beats[i]!.scene];
      // From inside a scene, back to its start; from its start, back to the previous one's.
      const target = current && current.first < i ? current : story.scenes[(current?.index ?? 0) - 1];
      return step(at(story, target ? target.first : 0));
    }
    case 'tick': {
      if (cursor.mode !== 'live' || i >= n - 1) return cursor;
      return { mode: 'live', at: at(story, Math.max(i + 1, n - 1 - LIVE_MAX_BEHIND)) };
    }
  }
}

/** Switch modes; going live starts from where the cursor is. */
export function withMode(cursor: Cursor, mode: StageMode): Cursor {
  return { ...cursor, mode };
}

/** How many beats wait after the cursor. */
export function waiting(story: Story, cursor: Cursor): number {
  return story.beats.length - 1 - beatIndex(story, cursor.at);
}
