/** TLS failures in words a presenter can read out, and the alert named in OpenSSL's message. */
export function explainTlsError(code: string, message: string): string {
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|wrong version/i.test(code + message)) {
    return 'The other side offered an older TLS version; Lockstep speaks TLS 1.3 only.';
  }
  if (/CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN_A_CERTIFICATE/i.test(code + message)) {
    return 'The other side presented no certificate: both sides must prove who they are.';
  }
  if (/NO_APPLICATION_PROTOCOL/i.test(code + message)) return 'The other side does not speak lockstep/1 (ALPN).';
  if (/bad.record.mac|DECRYPTION_FAILED/i.test(code + message)) {
    return 'A record failed its integrity check (bad_record_mac): it was changed in transit. The connection is closed; nothing from it was shown.';
  }
  if (/ECONNRESET|socket hang up/i.test(code + message)) return 'The other side dropped the connection.';
  return `TLS failed: ${message}`;
}

export function alertOf(message: string): string | null {
  const match = /alert (?:number )?([a-z0-9 _]+)/i.exec(message) ?? /SSL alert number (\d+)/.exec(message);
  return match ? match[1]!.trim() : null;
}

