/**
 * The one registration wrapper for IPC: every channel of the contract is registered here and
 * nowhere else, and every call passes the sender check and then `dispatch` (argument validation,
 * envelope). The renderer never gets an exception, only a `Result`.
 */
import { channelNames, channelOf, type LockstepHandlers } from '../../shared/ipc-contract';
import type { Result } from '../../shared/views';
import { dispatch } from '../core/api/dispatch';

/** What we use of `ipcMain`; tests pass a small fake. */
export interface InvokeRegistry<E> {
  handle(channel: string, listener: (event: E, arg: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

export const UNTRUSTED_SENDER: Result<never> = {
  ok: false,
  error: { code: 'UNTRUSTED_SENDER', message: 'This call did not come from the Lockstep window.' },
};

/** Register every contract channel; returns a function that removes them all again. */
export function registerHandlers<E>(
  ipc: InvokeRegistry<E>,
  handlers: LockstepHandlers,
  isTrustedSender: (event: E) => boolean,
): () => void {
  for (const name of channelNames) {
    const channel = channelOf(name);
    ipc.handle(channel, async (event, arg) => {
      if (!isTrustedSender(event)) {
        console.warn(`lockstep: refused ${channel} from an untrusted sender`);
        return UNTRUSTED_SENDER;
      }
      return dispatch(handlers, name, arg);
    });
  }
  return () => channelNames.forEach((name) => ipc.removeHandler(channelOf(name)));
}
