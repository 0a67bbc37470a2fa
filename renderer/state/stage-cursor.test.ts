import { describe, expect, it } from 'vitest';

import { tamperThroughEve } from '../test/drill-fixtures';
import { bulkRecords, dialerSession, stamp } from '../test/fixtures';
import { LIVE_MAX_BEHIND, move, openingCursor, waiting, withMode, type Cursor } from './stage-cursor';
import { beatIndex, buildStory } from './stage-story';

const story = buildStory(stamp([...dialerSession('out-1', 'alice'), ...tamperThroughEve('out-2', 'eve1-1')]), { selfName: 'Bob' });
const index = (c: Cursor) => beatIndex(story, c.at);
const titleAt = (c: Cursor) => story.beats[index(c)]!.title;

describe('the stage cursor', () => {
  it('opens on the first beat of the latest scene, in step mode, with the rest waiting', () => {
    const c = openingCursor(story);
    expect(c.mode).toBe('step');
    expect(index(c)).toBe(story.scenes[1]!.first);
    expect(waiting(story, c)).toBe(story.beats.length - 1 - story.scenes[1]!.first);
    expect(openingCursor(buildStory([], { selfName: 'Bob' }))).toEqual({ mode: 'step', at: null });
  });

  it('steps, jumps to milestones and scenes, and stops at both ends', () => {
    let c: Cursor = { mode: 'step', at: null };
    c = move(story, c, 'next');
    expect(titleAt(c)).toBe('SYN');
    expect(index(move(story, c, 'back'))).toBe(0);
    c = move(story, c, 'next-milestone');
    expect(titleAt(c)).toBe('ClientHello');
    c = move(story, c, 'next-milestone');
    expect(titleAt(c)).toBe('ServerHello');
    expect(titleAt(move(story, c, 'back-milestone'))).toBe('ClientHello');
    c = move(story, c, 'next-scene');
    expect(index(c)).toBe(story.scenes[1]!.first);
    // Back from inside a scene goes to its start; from its start, to the previous scene's.
    const inside = move(story, c, 'next');
    expect(index(move(story, inside, 'back-scene'))).toBe(story.scenes[1]!.first);
    expect(index(move(story, c, 'back-scene'))).toBe(0);
    const last = move(story, c, 'last');
    expect(index(last)).toBe(story.beats.length - 1);
    expect(move(story, last, 'next')).toEqual(last);
    expect(index(move(story, last, 'first'))).toBe(0);
  });

  it('in live mode follows one beat per tick, never further behind than the limit; a step by hand leaves live mode', () => {
    const short = buildStory(stamp(tamperThroughEve('out-2', 'eve1-1')), { selfName: 'Bob' });
    expect(short.beats.length).toBeLessThan(LIVE_MAX_BEHIND);
    let c = withMode({ mode: 'step', at: short.beats[0]!.key }, 'live');
    c = move(short, c, 'tick');
    expect(c).toEqual({ mode: 'live', at: short.beats[1]!.key });
    expect(move(short, { mode: 'step', at: short.beats[1]!.key }, 'tick').at).toBe(short.beats[1]!.key);
    expect(move(short, c, 'next').mode).toBe('step');

    const long = buildStory(stamp([...dialerSession('out-1', 'alice'), ...bulkRecords('out-1', 100)]), { selfName: 'Bob' });
    const behind = move(long, { mode: 'live', at: long.beats[0]!.key }, 'tick');
    expect(long.beats.length - 1 - beatIndex(long, behind.at)).toBe(LIVE_MAX_BEHIND);
    const end = { mode: 'live' as const, at: long.beats[long.beats.length - 1]!.key };
    expect(move(long, end, 'tick')).toBe(end);
  });
});
