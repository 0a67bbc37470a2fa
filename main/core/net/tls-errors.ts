/**
 * TLS failures, classified once, from the error's `code` alone, never from its message: OpenSSL
 * and BoringSSL word their messages differently ("tlsv1 alert protocol version … SSL alert number
 * 70" against "…:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION"), but Node builds the code the same
 * way from either library's reason (`ERR_SSL_` + the reason in capitals), so the code is the typed
 * field both runtimes share. Everything downstream (events, drill verdicts, the panel) acts on the
 * `TlsFailure` returned here; an alert record the independent decryptor opens is classified by its
 * number, in tls/tls-names.ts. The message is only ever shown.
 */
import type { TlsFailure } from '../../../shared/events';

export interface TlsErrorClass {
  failure: TlsFailure;
  /** The alert the peer sent, in RFC 8446 spelling (`bad_record_mac`); null when this side failed on its own. */
  alert: string | null;
}

/** Node error codes, in the order they are tried. */
const PATTERNS: [RegExp, TlsFailure][] = [
  [/HANDSHAKE_TIMEOUT/, 'timeout'],
  [/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER/, 'protocol-version'],
  [/CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN_A_CERTIFICATE/, 'no-certificate'],
  [/NO_APPLICATION_PROTOCOL/, 'no-alpn'],
  [/BAD_RECORD_MAC|DECRYPTION_FAILED/, 'bad-record-mac'],
  [/^ECONNRESET$/, 'connection-reset'],
];

/**
 * The alert named by a TLS error code, in RFC 8446 spelling (`protocol_version`), or null when
 * the code names none (this side failed on its own, or the runtime gave no such code).
 */
export function alertFromCode(code: string): string | null {
  // OpenSSL 3.5 names a received bad_record_mac "ssl/tls alert bad record mac", so Node's code is
  // ERR_SSL_SSL/TLS_ALERT_BAD_RECORD_MAC; older OpenSSL and BoringSSL say SSLV3_ALERT_….
  const match = /^ERR_SSL_(?:SSLV3|SSL\/TLS|TLSV1|TLSV13)_ALERT_([A-Z0-9_]+)$/.exec(code);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * Classify a TLS error from Node by its code. `alertCodes: false` is a runtime whose codes do not
 * name the peer's alert (runtime-features): its alert is then unknown, and so is any class that
 * only the alert's name would give.
 */
export function classifyTlsError(err: { code?: unknown; message?: string }, runtime: { alertCodes: boolean } = { alertCodes: true }): TlsErrorClass {
  const code = typeof err.code === 'string' ? err.code : '';
  const alert = alertFromCode(code);
  if (alert !== null && !runtime.alertCodes) return { failure: 'alert', alert: null };
  const found = PATTERNS.find(([pattern]) => pattern.test(code));
  return { failure: found ? found[1] : alert !== null ? 'alert' : 'other', alert };
}

const SENTENCES: Record<TlsFailure, string | null> = {
  'protocol-version': 'The other side offered an older TLS version; Lockstep speaks TLS 1.3 only.',
  'no-certificate': 'The other side presented no certificate: both sides must prove who they are.',
  'no-alpn': 'The other side does not speak lockstep/1 (ALPN).',
  'bad-record-mac': 'A record failed its integrity check (bad_record_mac): it was changed in transit. The connection is closed; nothing from it was shown.',
  'connection-reset': 'The other side dropped the connection.',
  timeout: null,
  alert: null,
  malformed: null,
  other: null,
};

/** A TLS failure in words a presenter can read out. */
export function explainTlsError(err: { code?: unknown; message: string }, failure: TlsFailure = classifyTlsError(err).failure): string {
  return SENTENCES[failure] ?? `TLS failed: ${err.message}`;
}
