import { describe, expect, it } from 'vitest';

import { alertFromCode, explainTlsError } from './tls-errors';

describe('TLS errors are read by their code, never by their message', () => {
  it('names the alert from the code both OpenSSL and BoringSSL give Node (ERR_SSL_ + the reason)', () => {
    expect(alertFromCode('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION')).toBe('protocol_version');
    expect(alertFromCode('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC')).toBe('bad_record_mac');
    expect(alertFromCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')).toBe('certificate_required');
    // This side's own failure names no alert the peer sent.
    expect(alertFromCode('ERR_SSL_UNSUPPORTED_PROTOCOL')).toBeNull();
    expect(alertFromCode('ECONNRESET')).toBeNull();
  });

  it('explains by the code; a message that merely mentions a cause decides nothing', () => {
    expect(explainTlsError('ERR_SSL_UNSUPPORTED_PROTOCOL', 'x')).toMatch(/older TLS version/);
    expect(explainTlsError('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'x')).toMatch(/integrity check/);
    // BoringSSL words its messages differently (OPENSSL_internal:…): only the code counts.
    expect(explainTlsError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION')).toMatch(/older TLS version/);
    expect(explainTlsError('ERR_SOMETHING_ELSE', 'tlsv1 alert protocol version')).toBe('TLS failed: tlsv1 alert protocol version');
  });
});
