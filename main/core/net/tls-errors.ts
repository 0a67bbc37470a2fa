/**
 * TLS failures in words a presenter can read out, and the alert a TLS error names. Both are read
 * from the error's `code` alone, never from its message: OpenSSL and BoringSSL word their
 * messages differently ("tlsv1 alert protocol version … SSL alert number 70" against
 * "…:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION"), but Node builds the code the same way from
 * either library's reason (`ERR_SSL_` + the reason in capitals), so the code is the typed field
 * both runtimes share. The message is only ever shown.
 */

/** What a TLS error code means for the user, checked in this order. */
const EXPLANATIONS: [RegExp, string][] = [
  [/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER/, 'The other side offered an older TLS version; Lockstep speaks TLS 1.3 only.'],
  [/CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN_A_CERTIFICATE/, 'The other side presented no certificate: both sides must prove who they are.'],
  [/NO_APPLICATION_PROTOCOL/, 'The other side does not speak lockstep/1 (ALPN).'],
  [/BAD_RECORD_MAC|DECRYPTION_FAILED/, 'A record failed its integrity check (bad_record_mac): it was changed in transit. The connection is closed; nothing from it was shown.'],
  [/^ECONNRESET$/, 'The other side dropped the connection.'],
];

export function explainTlsError(code: string, message: string): string {
  const known = EXPLANATIONS.find(([pattern]) => pattern.test(code));
  return known ? known[1] : `TLS failed: ${message}`;
}

/**
 * The alert named by a TLS error code, in RFC 8446 spelling (`protocol_version`), or null when
 * the code names none (this side failed on its own, or the runtime gave no such code).
 */
export function alertFromCode(code: string): string | null {
  const match = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z0-9_]+)$/.exec(code);
  return match ? match[1]!.toLowerCase() : null;
}
