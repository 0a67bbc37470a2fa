/** What a Messenger is opened with: the profile, the listening policy, timeouts and hooks. */
import type { CaptureOptions } from '../capture/recorder';
import type { Observation } from '../net/connection';
import type { HandshakeContext } from '../net/handshake';
import type { TlsTuning } from '../net/tls-options';
import { TIMEOUTS } from '../policy';
import type { RuntimeOptions } from '../runtime/runtime-features';
import type { KeyProtector } from '../store/database-key';
import type { UnknownPeerPolicy } from '../trust/trust-gate';


export interface MessengerTimeouts {
  handshakeMs?: number;
  /** How long a dialer waits for the listener's hello (the listener's user may be deciding). */
  helloMs?: number;
  /**
   * How long a listener waits for a newly accepted dialer's first frame (its hello, or a pairing
   * frame): a dialer sends it at once, so a short wait.
   */
  listenerHelloMs?: number;
  /** How long a held request waits for the user's decision before its socket is closed. */
  requestMs?: number;
  /** How long a key change seen while dialling stays pending (one raised by a knock ends with it). */
  keyChangeMs?: number;
  pingMs?: number;
  idleMs?: number;
  /** First and longest delay between automatic reconnection attempts. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/**
 * Caps on what strangers can make this peer hold. Past a cap the newcomer is refused — never a
 * known contact — and counted in one `trust.throttled` summary instead of a card each.
 */
export interface MessengerLimits {
  /** TCP connections accepted whose TLS handshake has not finished, in all and per source address. */
  maxHandshakes?: number;
  maxHandshakesPerAddress?: number;
  /** New connections one source address may open per minute. */
  acceptsPerAddressPerMinute?: number;
  /** Held requests (unknown keys waiting for the user), in all and per source address. */
  maxRequests?: number;
  maxRequestsPerAddress?: number;
  /** Pending key changes. */
  maxKeyChanges?: number;
  /** Failed pairing attempts allowed within `pairingWindowMs`; past that no new code is given out. */
  pairingFailures?: number;
  pairingWindowMs?: number;
  /** At most one refusal summary per this interval. */
  refusalSummaryMs?: number;
}

export interface MessengerOptions {
  profileDir: string;
  /** Listen as soon as an identity exists; `false` to never listen (a dial-only peer). */
  listen?: { host?: string; port?: number } | false;
  /**
   * What to do with a dialer whose key is not pinned: refuse, ask the user, trust every new key
   * on first use, or trust only the first new key of this run and refuse the others.
   */
  unknownPeers?: UnknownPeerPolicy;
  /** Demo mode: keylog secret values appear in events. Never on by default. */
  revealSecrets?: boolean;
  /** Path of a better-sqlite3 binary built for another runtime (Electron). */
  nativeBinding?: string;
  /** The OS keystore (Electron's safeStorage) for the history key; null or absent: a 0600 key file. */
  protector?: KeyProtector | null;
  timeouts?: MessengerTimeouts;
  limits?: MessengerLimits;
  tuning?: TlsTuning;
  /** For tests: run as on a runtime without some TLS features (runtime-features.ts). Never set by the app. */
  runtime?: RuntimeOptions;
  /** Extra observers attached to every connection's tap (the headless peer's --capture, for one). */
  hooks?: HandshakeContext['hooks'];
  /** The bench only: run connections with less of the engine watching them (net/connection.ts). Never set in the app. */
  observe?: Observation;
  /** Record connections in memory so the user can export them for Wireshark (the desktop app does). */
  capture?: CaptureOptions;
}

/** The timeouts in force: the caller's, else the defaults in policy.ts (SECURITY.md lists them). */
export function withDefaults(t: MessengerTimeouts = {}): Required<MessengerTimeouts> {
  return { ...TIMEOUTS, ...t };
}

/** The caps in force: the caller's, else these defaults (SECURITY.md lists them). */
export function limitsWithDefaults(l: MessengerLimits = {}): Required<MessengerLimits> {
  return {
    maxHandshakes: 64,
    maxHandshakesPerAddress: 8,
    acceptsPerAddressPerMinute: 60,
    maxRequests: 16,
    maxRequestsPerAddress: 4,
    maxKeyChanges: 16,
    pairingFailures: 3,
    pairingWindowMs: 10 * 60_000,
    refusalSummaryMs: 5_000,
    ...l,
  };
}
