/**
 * TLS failures, classified once. Node's TLS errors carry OpenSSL's codes and wording; this is
 * the one place that reads them (an alert record the independent decryptor opens is classified
 * by its number, in tls/tls-names.ts). Everything downstream (events, drill verdicts, the panel) acts
 * on the `TlsFailure` it returns, and the sentence for people is made from that class.
 */
import type { TlsFailure } from '../../../shared/events';

export interface TlsErrorClass {
  failure: TlsFailure;
  /** The alert the peer sent, as OpenSSL names it in its error ("bad record mac"); null when this side failed on its own. */
  alert: string | null;
}

/** Node error codes and OpenSSL reason strings, in the order they are tried. */
const PATTERNS: [RegExp, TlsFailure][] = [
  [/ERR_TLS_HANDSHAKE_TIMEOUT|HANDSHAKE_TIMEOUT/, 'timeout'],
  [/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|wrong version/i, 'protocol-version'],
  [/CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN_A_CERTIFICATE/i, 'no-certificate'],
  [/NO_APPLICATION_PROTOCOL/i, 'no-alpn'],
  [/bad.record.mac|DECRYPTION_FAILED/i, 'bad-record-mac'],
  [/ECONNRESET|socket hang up/i, 'connection-reset'],
];

/** The alert named in OpenSSL's message ("…sslv3 alert bad record mac…", "SSL alert number 70"). */
function alertIn(message: string): string | null {
  const match = /alert (?:number )?([a-z0-9 _]+)/i.exec(message) ?? /SSL alert number (\d+)/.exec(message);
  return match ? match[1]!.trim() : null;
}

/** Classify a TLS error from Node (its `code`, and OpenSSL's message where the code is generic). */
export function classifyTlsError(err: { code?: unknown; message: string }): TlsErrorClass {
  const code = typeof err.code === 'string' ? err.code : '';
  const alert = alertIn(err.message);
  const text = `${code} ${err.message}`;
  const found = PATTERNS.find(([pattern]) => pattern.test(text));
  return { failure: found ? found[1] : alert ? 'alert' : 'other', alert };
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
