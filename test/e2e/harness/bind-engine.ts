/**
 * A real engine behind a browser page, through the path the Electron shell uses: every call the
 * page makes goes through `dispatch` (the contract's validation, the `Result` envelope) to the
 * same handlers main registers; only the transport differs (a Playwright binding instead of IPC).
 *
 * Per browser context (one per peer): one binding per contract channel, an init script that
 * builds `window.lockstep` with exactly the preload's method names before the app's scripts run,
 * and the engine's event batches pushed into every page of the context as JSON strings.
 */
import type { BrowserContext, Page } from 'playwright-core';

import type { LockstepEvent } from '../../../shared/events';
import { channelNames, type ArgOf, type ChannelName, type LockstepHandlers, type ResultOf } from '../../../shared/ipc-contract';
import type { Result } from '../../../shared/views';
import { dispatch } from '../../../main/core/api/dispatch';
import { engineHandlers } from '../../../main/core/api/handlers';
import type { Messenger } from '../../../main/core/messenger/messenger';

/** The shell's batch interval (BATCH_INTERVAL_MS in main/electron/event-forwarder.ts). */
export const BATCH_INTERVAL_MS = 50;

/** The error code openExternal answers with here (nothing leaves the test machine). */
export const REFUSED_EXTERNAL = 'EXTERNAL_REFUSED_BY_HARNESS';

/** The prefix of the page globals the bindings live under: `__lockstep_getIdentity`, … */
export const BINDING_PREFIX = '__lockstep_';

/** What the init script leaves in the page, besides `window.lockstep` (non-enumerable). */
export const DELIVER = '__lockstepDeliver';

export interface EngineBinding {
  readonly messenger: Messenger;
  /** The handlers the page reaches (engine handlers plus the two shell-only stand-ins). */
  readonly handlers: LockstepHandlers;
  /** Texts the page asked the "clipboard" to hold (copyText), oldest first. */
  readonly copied: string[];
  /** URLs the page asked to open (openExternal): always refused here, but recorded. */
  readonly externalRequests: string[];
  /** Calls the page made, in order, with whether the envelope said ok (for failure messages). */
  readonly calls: { name: string; ok: boolean; code?: string }[];
  /** One call through `dispatch`, exactly as the page's call would travel. */
  call<K extends ChannelName>(name: K, arg: ArgOf<K>): Promise<Result<ResultOf<K>>>;
  /** Push a batch (already JSON) into every page of the context; resolves when each page has applied it. */
  pushJson(json: string): Promise<void>;
  push(batch: readonly LockstepEvent[]): Promise<void>;
  /** Stop forwarding the engine's events. */
  stop(): void;
}

export interface BindOptions {
  batchIntervalMs?: number;
}

/** Errors of an evaluate that raced a navigation or a closing page: the backlog covers those events. */
const GONE = /Target page, context or browser has been closed|Execution context was destroyed|Target closed|frame was detached|navigat/i;

export async function bindEngine(context: BrowserContext, messenger: Messenger, options: BindOptions = {}): Promise<EngineBinding> {
  const copied: string[] = [];
  const externalRequests: string[] = [];
  const calls: EngineBinding['calls'] = [];
  const handlers: LockstepHandlers = {
    ...engineHandlers(messenger),
    copyText: ({ text }) => {
      copied.push(text);
      return null;
    },
    openExternal: ({ url }) => {
      externalRequests.push(url);
      // Not a LockstepError: dispatch keeps the code and puts its generic sentence in front of the user.
      throw Object.assign(new Error('the test harness opens no external links'), { code: REFUSED_EXTERNAL });
    },
  };

  for (const name of channelNames) {
    await context.exposeBinding(`${BINDING_PREFIX}${name}`, async (_source, arg: unknown) => {
      const result = await dispatch(handlers, name, arg);
      calls.push(result.ok ? { name, ok: true } : { name, ok: false, code: result.error.code });
      return result;
    });
  }
  await context.addInitScript({ content: initScript({ names: [...channelNames], prefix: BINDING_PREFIX, deliver: DELIVER }) });

  // One push at a time per page, in order: a later batch never overtakes an earlier one.
  const queues = new WeakMap<Page, Promise<void>>();
  const pushToPage = (page: Page, json: string): Promise<void> => {
    const previous = queues.get(page) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (page.isClosed()) return;
      try {
        await page.evaluate(
          ([deliver, text]) => {
            const target = globalThis as unknown as Record<string, ((json: string) => void) | undefined>;
            target[deliver]?.(text);
          },
          [DELIVER, json] as const,
        );
      } catch (error) {
        if (!GONE.test(String(error))) throw error;
      }
    });
    queues.set(page, next.catch(() => undefined));
    return next;
  };
  const pushJson = async (json: string) => {
    await Promise.all(context.pages().map((page) => pushToPage(page, json)));
  };

  let pushFailure: unknown = null;
  const unsubscribe = messenger.events.subscribeBatches((batch) => {
    pushJson(JSON.stringify(batch)).catch((error: unknown) => {
      pushFailure ??= error;
    });
  }, options.batchIntervalMs ?? BATCH_INTERVAL_MS);

  return {
    messenger,
    handlers,
    copied,
    externalRequests,
    calls,
    call: (name, arg) => dispatch(handlers, name, arg) as Promise<Result<ResultOf<typeof name>>>,
    pushJson: async (json) => {
      if (pushFailure) throw pushFailure;
      await pushJson(json);
    },
    push: (batch) => pushJson(JSON.stringify(batch)),
    stop: unsubscribe,
  };
}

/**
 * One call to an engine no page drives (Mallory, a peer set up in Node), through the same
 * `dispatch` and handlers; the shell-only calls are refused.
 */
export function callEngine<K extends ChannelName>(messenger: Messenger, name: K, arg: ArgOf<K>): Promise<Result<ResultOf<K>>> {
  const refuse = () => {
    throw Object.assign(new Error('not available without a window'), { code: REFUSED_EXTERNAL });
  };
  const handlers: LockstepHandlers = { ...engineHandlers(messenger), copyText: refuse, openExternal: refuse };
  return dispatch(handlers, name, arg) as Promise<Result<ResultOf<K>>>;
}

/**
 * The init script's source. Functions handed to the page travel as their source text, and tsx
 * (esbuild with keepNames) wraps named functions in `__name(…)` calls that exist only in Node:
 * a stand-in is defined first (non-enumerable), so the same code runs under Vitest and tsx.
 */
export function initScript(arg: { names: string[]; prefix: string; deliver: string }): string {
  return [
    "if (typeof __name === 'undefined') Object.defineProperty(globalThis, '__name', { value: (target) => target, configurable: true });",
    `(${installLockstep.toString()})(${JSON.stringify(arg)});`,
  ].join('\n');
}

/**
 * Runs in the page before any of its scripts (so it must be self-contained): `window.lockstep`
 * with one method per contract channel plus `onEvents`, like the preload's object — frozen and
 * not replaceable, as contextBridge leaves it. Batches pushed before anyone subscribes wait in a
 * queue (the renderer subscribes during start-up); each listener gets every batch, in order.
 */
function installLockstep({ names, prefix, deliver }: { names: string[]; prefix: string; deliver: string }): void {
  type Listener = (batch: unknown[]) => void;
  const page = globalThis as unknown as Record<string, unknown> & { reportError?: (error: unknown) => void };
  const listeners = new Set<Listener>();
  const queue: unknown[][] = [];

  const flush = () => {
    while (queue.length > 0 && listeners.size > 0) {
      const batch = queue.shift()!;
      for (const listener of [...listeners]) {
        try {
          listener(batch);
        } catch (error) {
          // As with an IPC listener that throws: reported, and the other listeners still run.
          if (page.reportError) page.reportError(error);
          else setTimeout(() => {
            throw error;
          });
        }
      }
    }
  };

  const api: Record<string, unknown> = {};
  for (const name of names) {
    api[name] = (arg: unknown) => {
      const binding = page[prefix + name] as ((arg: unknown) => Promise<unknown>) | undefined;
      if (!binding) return Promise.reject(new Error(`The test harness has no binding for ${name}.`));
      return binding(arg);
    };
  }
  api.onEvents = (listener: Listener) => {
    listeners.add(listener);
    // Queued batches arrive after onEvents returns, as IPC messages would.
    setTimeout(flush, 0);
    return () => {
      listeners.delete(listener);
    };
  };

  Object.defineProperty(page, deliver, {
    value: (json: string) => {
      queue.push(JSON.parse(json) as unknown[]);
      flush();
    },
    enumerable: false,
  });
  Object.defineProperty(page, 'lockstep', { value: Object.freeze(api), enumerable: true, writable: false, configurable: false });
}
