/** Where the headless peer keeps its identity, and creating one on first use. */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

import type { Messenger } from '../core/messenger/messenger';

export function defaultProfileDir(): string {
  if (process.env.LOCKSTEP_PROFILE_DIR) return process.env.LOCKSTEP_PROFILE_DIR;
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'lockstep', 'cli');
}

export async function ensureIdentity(m: Messenger, name: string | null): Promise<void> {
  if (m.hasIdentity) return;
  let fallback = 'Lockstep peer';
  try {
    fallback = userInfo().username || fallback;
  } catch {
    // no user database entry (containers): keep the generic name
  }
  await m.createIdentity(name ?? fallback);
}
