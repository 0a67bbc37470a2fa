/**
 * Global setup of the dom project: the engine run once per probed feature switched off (real
 * engines on loopback, test/helpers/runtime-story.ts), and the dialer's events handed to the
 * renderer test (renderer/components/runtime-gaps.test.tsx), which draws the panel from them.
 * Without alert names the story also runs the downgrade drill, whose refusal is the TLS error.
 */
import type { TestProject } from 'vitest/node';

import { FEATURE_NAMES, type RuntimeFeatureName } from '../../main/core/runtime/runtime-features';
import type { LockstepEvent } from '../../shared/events';
import { Lab } from '../helpers/profiles';
import { chatWithout } from '../helpers/runtime-story';

export interface GapStory {
  events: LockstepEvent[];
  contactId: string;
  /** The connection the panel must draw: the chat's, or the drill's. */
  conn: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    runtimeGapStories: Record<string, GapStory>;
  }
}

async function story(lab: Lab, feature: RuntimeFeatureName): Promise<GapStory> {
  const { alice, bobForAlice } = await chatWithout(lab, feature);
  let conn = alice.log.of('tcp.connect')[0]!.conn!;
  if (feature === 'alertCodes') {
    await alice.m.drills.downgrade(bobForAlice.id);
    conn = alice.log.of('tls.error')[0]!.conn!;
  }
  return { events: [...alice.log.all], contactId: bobForAlice.id, conn };
}

export default async function setup(project: TestProject): Promise<void> {
  const lab = new Lab();
  try {
    const stories = await Promise.all(FEATURE_NAMES.map(async (feature) => [feature, await story(lab, feature)] as const));
    project.provide('runtimeGapStories', Object.fromEntries(stories));
  } finally {
    await lab.cleanup();
  }
}
