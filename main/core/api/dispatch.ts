/**
 * The one door from a front end into the engine: look the call up in the IPC contract, validate
 * its argument with the contract's schema, run the handler, and answer with a `Result` envelope.
 * Nothing throws across this boundary, and nothing but a code and a sentence leaves it: a stack
 * trace or an internal message could leak paths or secrets into the renderer.
 */
import type { z } from 'zod';

import { contract, type ChannelName, type LockstepHandlers } from '../../../shared/ipc-contract';
import type { ErrorView, Result } from '../../../shared/views';
import { LockstepError, errorCode } from '../errors';

const GENERIC_MESSAGE = 'Something went wrong inside Lockstep. Try again; if it keeps happening, restart the app.';

/** At most this many schema complaints are spelled out; the rest would only bury the first. */
const MAX_ISSUES = 3;

/** Run one contract call and wrap whatever happens in an envelope. Never throws. */
export async function dispatch(handlers: LockstepHandlers, channel: string, rawArg: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return failure({ code: 'UNKNOWN_CHANNEL', message: `There is no call named "${printable(channel)}".` });
  }
  const parsed = contract[channel].arg.safeParse(rawArg);
  if (!parsed.success) {
    return failure({ code: 'BAD_ARGUMENT', message: `Invalid argument for ${channel}: ${describeIssues(parsed.error)}` });
  }
  try {
    const handler = handlers[channel] as (arg: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return failure(errorView(error));
  }
}

/** Own keys only: `toString` or `__proto__` are not calls. */
function isChannelName(channel: string): channel is ChannelName {
  return Object.prototype.hasOwnProperty.call(contract, channel);
}

/**
 * The engine's errors carry a sentence written for users; anything else (a bug, a Node error
 * such as ENOENT whose message holds a file path) keeps only its code.
 */
export function errorView(error: unknown): ErrorView {
  if (error instanceof LockstepError) return { code: error.code, message: error.message };
  return { code: errorCode(error), message: GENERIC_MESSAGE };
}

/** zod's issues as one readable line: `text: Too small: expected string to have >=1 characters`. */
export function describeIssues(error: z.ZodError): string {
  const lines = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = issue.path.map(String).join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - MAX_ISSUES;
  return more > 0 ? `${lines.join('; ')}; and ${more} more` : lines.join('; ');
}

function failure(error: ErrorView): Result<never> {
  return { ok: false, error };
}

/** A channel name from the page is untrusted text: keep it short and printable in the message. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
