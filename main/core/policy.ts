/**
 * The engine's timing defaults and its retry policy, each said once. `messenger/options.ts`
 * lets a caller override the timeouts; the session, the reconnector and the headless peer read
 * the rest from here (SECURITY.md lists the values).
 */
import type { ErrorCode } from './errors';

/** Default timeouts, in milliseconds. */
export const TIMEOUTS = {
  /** TCP connection to the end of the TLS handshake. */
  handshakeMs: 10_000,
  /** A dialer waiting for the listener's hello (the listener's user may be deciding). */
  helloMs: 300_000,
  /** A listener waiting for a newly accepted dialer's first frame. */
  listenerHelloMs: 10_000,
  /** A held request waiting for the user's decision. */
  requestMs: 120_000,
  /** A key change seen while dialling stays pending this long. */
  keyChangeMs: 15 * 60_000,
  /** Silence before a ping, and before the peer is presumed gone. */
  pingMs: 15_000,
  idleMs: 45_000,
  /** First and longest delay between automatic reconnection attempts. */
  retryInitialMs: 500,
  retryMaxMs: 30_000,
} as const;

/** Malformed frames a session tolerates before it closes (PROTOCOL.md §3). */
export const MALFORMED_FRAME_BUDGET = 3;

/**
 * Closing codes after which retrying would be pointless or unsafe until the user acts: the
 * reconnector stops redialling, and the headless peer's `connect` reports the code and exits.
 */
export const STOP_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PIN_MISMATCH',
  'WRONG_ALPN',
  'NO_CERTIFICATE',
  'VERSION_UNSUPPORTED',
  'BAD_ADDRESS',
  'CONTACT_DAMAGED',
]);

/** True if a close with this code stops retrying. Codes from the wire are plain strings. */
export function stopsRetrying(code: string | null | undefined): boolean {
  return code != null && (STOP_CODES as ReadonlySet<string>).has(code);
}
