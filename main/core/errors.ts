/**
 * Every error the engine reports carries a stable code (for programs and tests) and a sentence
 * a user can act on (for people). Nothing else crosses a boundary.
 */
export type ErrorCode =
  | 'BAD_ADDRESS'
  | 'BAD_ARGUMENT'
  | 'BAD_FRAME'
  | 'BAD_INVITE'
  | 'BAD_PAIRING_CODE'
  | 'BAD_PIN'
  | 'CONNECTION_CLOSED'
  | 'CONNECT_FAILED'
  | 'CONTACT_DAMAGED'
  | 'FRAME_TOO_LARGE'
  | 'HANDSHAKE_TIMEOUT'
  | 'HELLO_TIMEOUT'
  | 'NOT_LET_IN'
  | 'IDENTITY_CORRUPT'
  | 'IDENTITY_EXISTS'
  | 'IDENTITY_KEY_UNAVAILABLE'
  | 'IDENTITY_MISSING'
  | 'INTERNAL'
  | 'INVITE_CHANGES_CONTACT'
  | 'KEY_IN_USE'
  | 'LISTEN_FAILED'
  | 'NOT_CONNECTED'
  | 'NOT_FOUND'
  | 'NO_CERTIFICATE'
  | 'PAIRING_FAILED'
  | 'PAIRING_RATE_LIMITED'
  | 'PAIRING_UNAVAILABLE'
  | 'PEER_REFUSED'
  | 'PIN_MISMATCH'
  | 'PROTOCOL_ERROR'
  | 'REQUEST_EXPIRED'
  | 'REQUEST_REPLACED'
  | 'ROW_UNREADABLE'
  | 'SAFETY_NUMBER_MISMATCH'
  | 'STORE_ERROR'
  | 'STORE_KEY_MISSING'
  | 'STORE_KEY_UNAVAILABLE'
  | 'TIMEOUT'
  | 'TLS_ERROR'
  | 'TOO_MANY_CONNECTIONS'
  | 'TOO_MANY_KEY_CHANGES'
  | 'TOO_MANY_REQUESTS'
  | 'UNTRUSTED_PEER'
  | 'VERSION_UNSUPPORTED'
  | 'WRONG_ALPN';

export class LockstepError extends Error {
  override readonly name = 'LockstepError';
  /** Machine-readable facts for the front ends (e.g. the presented pin of a PIN_MISMATCH). */
  readonly details: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, string> },
  ) {
    super(message, options);
    this.details = options?.details ?? {};
  }
}

/** The code of any error: ours, Node's (`ECONNREFUSED`…), or `INTERNAL`. */
export function errorCode(error: unknown): string {
  if (error instanceof LockstepError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}
