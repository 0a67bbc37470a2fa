// What the dom project's global setup (test/runtime/gap-stories.global.ts) hands the renderer
// tests: real engine events with one runtime feature switched off, per feature.
import type { LockstepEvent } from '../../shared/events';

declare module 'vitest' {
  export interface ProvidedContext {
    runtimeGapStories: Record<string, { events: LockstepEvent[]; contactId: string; conn: string }>;
  }
}
