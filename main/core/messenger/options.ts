/** What a Messenger is opened with: the profile, the listening policy, timeouts and hooks. */
import type { CaptureOptions } from '../capture/recorder';
import type { HandshakeContext } from '../net/handshake';
import type { TlsTuning } from '../net/tls-options';
import type { KeyProtector } from '../store/database-key';
import type { UnknownPeerPolicy } from '../trust/trust-gate';

/** Closing codes after which retrying would be pointless or unsafe until the user acts. */
export const NO_RETRY = new Set(['PIN_MISMATCH', 'WRONG_ALPN', 'NO_CERTIFICATE', 'VERSION_UNSUPPORTED', 'BAD_ADDRESS', 'CONTACT_DAMAGED']);

export interface MessengerTimeouts {
  handshakeMs?: number;
  helloMs?: number;
  pingMs?: number;
  idleMs?: number;
  /** First and longest delay between automatic reconnection attempts. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface MessengerOptions {
  profileDir: string;
  /** Listen as soon as an identity exists; `false` to never listen (a dial-only peer). */
  listen?: { host?: string; port?: number } | false;
  /** What to do with a dialer whose key is not pinned: refuse, ask the user, or trust on first use. */
  unknownPeers?: UnknownPeerPolicy;
  /** Demo mode: keylog secret values appear in events. Never on by default. */
  revealSecrets?: boolean;
  /** Path of a better-sqlite3 binary built for another runtime (Electron). */
  nativeBinding?: string;
  /** The OS keystore (Electron's safeStorage) for the history key; null or absent: a 0600 key file. */
  protector?: KeyProtector | null;
  timeouts?: MessengerTimeouts;
  tuning?: TlsTuning;
  /** Extra observers attached to every connection's tap (the headless peer's --capture, for one). */
  hooks?: HandshakeContext['hooks'];
  /** Record connections in memory so the user can export them for Wireshark (the desktop app does). */
  capture?: CaptureOptions;
}

/** The timeouts in force: the caller's, else these defaults. */
export function withDefaults(t: MessengerTimeouts = {}): Required<MessengerTimeouts> {
  return { handshakeMs: 10_000, helloMs: 300_000, pingMs: 15_000, idleMs: 45_000, retryInitialMs: 500, retryMaxMs: 30_000, ...t };
}
