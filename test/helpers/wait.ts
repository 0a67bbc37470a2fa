/**
 * Waiting without timing assertions: every helper here resolves as soon as the awaited thing
 * happens and, if it never does, fails after a generous deadline with a message that says what
 * was awaited and what was seen instead. A deadline is a safety net, never the thing under test.
 */
import type { EventEmitter } from 'node:events';

export const DEFAULT_WAIT_MS = 8_000;

/** Poll `condition` until it returns a value other than undefined/false. */
export async function waitUntil<T>(
  condition: () => T | undefined | null | false,
  what: string,
  { timeoutMs = DEFAULT_WAIT_MS, describe }: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${describe ? `; ${describe()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The first emission of `event` on `emitter` (its arguments), or a clear failure. */
export function onceEvent<T extends unknown[] = unknown[]>(emitter: EventEmitter, event: string, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeListener(event, handler);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} ("${event}")`));
    }, timeoutMs);
    const handler = (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    };
    emitter.once(event, handler);
  });
}
