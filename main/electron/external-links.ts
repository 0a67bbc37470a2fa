/**
 * The one way out of the app to the user's browser. `shell.openExternal` hands a URL to the OS,
 * which may run a program for `file:`, `smb:` or a custom scheme — so only plain `https:` links
 * with a host and no embedded credentials (`https://bank.example@evil.example`) are let through.
 */
import type { Shell } from 'electron';

import { LockstepError } from '../core/errors';

/** The normalised URL if it may be opened, or null. */
export function vetExternalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname === '') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** Open a vetted link in the default browser; a refused link is a BAD_ARGUMENT with a reason. */
export async function openExternalLink(shell: Pick<Shell, 'openExternal'>, raw: string): Promise<null> {
  const url = vetExternalUrl(raw);
  if (url === null) throw new LockstepError('BAD_ARGUMENT', 'Only https:// links can be opened from Lockstep.');
  await shell.openExternal(url, { activate: true });
  return null;
}
