/**
 * Launch options and where a profile lives. `--profile NAME` gives a separate identity, database
 * and single-instance lock, so Alice and Bob can run side by side on one laptop in a demo.
 */
import { dirname, join } from 'node:path';

import { ensurePrivateDir } from '../core/store/private-files';

export const DEFAULT_PROFILE = 'default';

/** Lower-case letters, digits and dashes: safe as a directory name on every OS. */
const PROFILE_NAME = /^[a-z0-9-]{1,32}$/;

export interface LaunchOptions {
  profile: string;
  /** Demo mode: the panel may show secrets (keylog values), clearly marked. */
  demo: boolean;
  /** `--port N`: where to listen, so two profiles on one machine need not fight over the default; null for the engine's default. */
  port: number | null;
  /** `--demo-setup`: prepare the Alice and Bob demo profiles, then exit (npm start -- --demo runs it first). */
  demoSetup: boolean;
  /** `--demo-side left|right`: which half of the screen this window takes in the one-laptop demo. */
  demoSide: 'left' | 'right' | null;
}

export type LaunchParse = { ok: true; value: LaunchOptions } | { ok: false; message: string };

/**
 * Read our flags out of argv; everything else (the app path, Chromium's own switches) is
 * someone else's and ignored.
 */
export function parseLaunchArgs(argv: readonly string[]): LaunchParse {
  let profile: string | undefined;
  let port: string | undefined;
  let demo = false;
  let demoSetup = false;
  let demoSide: LaunchOptions['demoSide'] = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--demo') demo = true;
    else if (arg === '--demo-setup') demoSetup = true;
    else if (arg === '--demo-side=left' || arg === '--demo-side=right') demoSide = arg.endsWith('left') ? 'left' : 'right';
    else if (isFlag(arg, '--profile')) {
      if (profile !== undefined) return { ok: false, message: 'Give --profile only once.' };
      profile = (arg === '--profile' ? argv[(i += 1)] : arg.slice('--profile='.length)) ?? '';
    } else if (isFlag(arg, '--port')) {
      if (port !== undefined) return { ok: false, message: 'Give --port only once.' };
      port = (arg === '--port' ? argv[(i += 1)] : arg.slice('--port='.length)) ?? '';
    }
  }
  const problem = (profile !== undefined ? profileNameProblem(profile) : null) ?? (port !== undefined ? portProblem(port) : null);
  if (problem) return { ok: false, message: problem };
  return {
    ok: true,
    value: { profile: profile ?? DEFAULT_PROFILE, demo, port: port === undefined ? null : Number(port), demoSetup, demoSide },
  };
}

function isFlag(arg: string, flag: string): boolean {
  return arg === flag || arg.startsWith(`${flag}=`);
}

function portProblem(port: string): string | null {
  if (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) return null;
  return 'Give --port a number from 1 to 65535, for example --port 47475.';
}

function profileNameProblem(name: string): string | null {
  if (name === '') return 'Give --profile a name, for example --profile alice.';
  if (!PROFILE_NAME.test(name)) {
    return `"${name.slice(0, 40)}" is not a profile name: use 1 to 32 lower-case letters, digits or dashes.`;
  }
  return null;
}

export interface ProfilePaths {
  /** The engine's files: identity, database. */
  profileDir: string;
  /**
   * Chromium's own state (caches, the single-instance lock). Inside the profile so that
   * `requestSingleInstanceLock`, which locks per userData directory, locks per profile, and so
   * deleting one directory resets a profile completely.
   */
  userDataDir: string;
}

/** Where a profile lives, under the app's original userData directory. */
export function profilePaths(baseUserData: string, profile: string): ProfilePaths {
  const profileDir = join(baseUserData, 'profiles', profile);
  return { profileDir, userDataDir: join(profileDir, 'electron') };
}

/**
 * Create the profile's folders 0700 before Electron or the engine writes anything: `profiles/`,
 * the profile, and Chromium's own folder in it. Made here, not left to Electron, which would make
 * them with the umask's mode (0755) and leave the database readable by other users.
 */
export function prepareProfileDirs(paths: ProfilePaths): void {
  ensurePrivateDir(dirname(paths.profileDir), { lockstepOnly: true });
  ensurePrivateDir(paths.profileDir);
  ensurePrivateDir(paths.userDataDir, { lockstepOnly: true });
}
