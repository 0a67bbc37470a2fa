/**
 * The two calls the shell answers itself, because they touch the desktop rather than the
 * engine: copying to the clipboard and opening a link in the browser.
 */
import type { Clipboard, Shell } from 'electron';

import type { LockstepHandlers } from '../../shared/ipc-contract';
import { openExternalLink } from './external-links';

export type ShellHandlers = Pick<LockstepHandlers, 'copyText' | 'openExternal'>;

export function shellHandlers(deps: { clipboard: Pick<Clipboard, 'writeText'>; shell: Pick<Shell, 'openExternal'> }): ShellHandlers {
  return {
    // Electron's clipboard is asynchronous (like navigator.clipboard): answer once it is written.
    copyText: async ({ text }) => {
      await deps.clipboard.writeText(text);
      return null;
    },
    openExternal: ({ url }) => openExternalLink(deps.shell, url),
  };
}
