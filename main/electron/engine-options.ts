/**
 * The engine's options in the desktop app, as data, so a test can read each choice: where the
 * profile lives, where to listen, how strangers are met, and that connections are recorded for
 * the "Export for Wireshark" card (README: the pcap, and its keys only once the person has
 * confirmed the warning; the keys never outlive the process).
 */
import type { MessengerOptions } from '../core/messenger/options';
import type { KeyProtector } from '../core/store/database-key';
import type { LaunchOptions, ProfilePaths } from './profile';

export function desktopEngineOptions(launch: LaunchOptions, paths: ProfilePaths, deps: { nativeBinding: string; protector: KeyProtector }): MessengerOptions {
  return {
    profileDir: paths.profileDir,
    listen: launch.port === null ? {} : { port: launch.port },
    // A new dialer is shown to the user with its safety number; nothing is trusted silently.
    unknownPeers: 'ask',
    revealSecrets: launch.demo,
    nativeBinding: deps.nativeBinding,
    protector: deps.protector,
    // The export card offers the keys file behind a warning; the recorder withholds it for untrusted peers.
    capture: { keepKeys: true },
  };
}
