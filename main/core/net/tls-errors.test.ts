import { describe, expect, it } from 'vitest';

import { alertFromCode, classifyTlsError, explainTlsError } from './tls-errors';

const err = (code: string, message = 'x') => ({ code, message });

describe('TLS errors are read by their code, never by their message', () => {
  it('names the alert from the code both OpenSSL and BoringSSL give Node (ERR_SSL_ + the reason)', () => {
    expect(alertFromCode('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION')).toBe('protocol_version');
    expect(alertFromCode('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC')).toBe('bad_record_mac');
    // What Node 22-26 (OpenSSL 3.5) give for a received bad_record_mac alert, seen in the stage story.
    expect(alertFromCode('ERR_SSL_SSL/TLS_ALERT_BAD_RECORD_MAC')).toBe('bad_record_mac');
    expect(alertFromCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')).toBe('certificate_required');
    // This side's own failure names no alert the peer sent.
    expect(alertFromCode('ERR_SSL_UNSUPPORTED_PROTOCOL')).toBeNull();
    expect(alertFromCode('ECONNRESET')).toBeNull();
  });

  it('classifies by the code: the peer\'s alert and this side\'s own failure alike', () => {
    expect(classifyTlsError(err('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC'))).toEqual({ failure: 'bad-record-mac', alert: 'bad_record_mac' });
    expect(classifyTlsError(err('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC'))).toEqual({ failure: 'bad-record-mac', alert: null });
    expect(classifyTlsError(err('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'))).toEqual({ failure: 'protocol-version', alert: 'protocol_version' });
    expect(classifyTlsError(err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'))).toEqual({ failure: 'alert', alert: 'unknown_ca' });
    expect(classifyTlsError(err('ERR_TLS_HANDSHAKE_TIMEOUT'))).toEqual({ failure: 'timeout', alert: null });
    expect(classifyTlsError(err('ERR_SOMETHING_ELSE', 'sslv3 alert bad record mac'))).toEqual({ failure: 'other', alert: null });
  });

  it('on a runtime whose codes name no alerts, claims neither the alert nor what only its name would say', () => {
    expect(classifyTlsError(err('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), { alertCodes: false })).toEqual({ failure: 'alert', alert: null });
    expect(classifyTlsError(err('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC'), { alertCodes: false })).toEqual({ failure: 'bad-record-mac', alert: null });
  });

  it('explains by the code; a message that merely mentions a cause decides nothing', () => {
    expect(explainTlsError(err('ERR_SSL_UNSUPPORTED_PROTOCOL'))).toMatch(/older TLS version/);
    expect(explainTlsError(err('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC'))).toMatch(/integrity check/);
    // BoringSSL words its messages differently (OPENSSL_internal:…): only the code counts.
    expect(explainTlsError(err('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION'))).toMatch(/older TLS version/);
    expect(explainTlsError(err('ERR_SOMETHING_ELSE', 'tlsv1 alert protocol version'))).toBe('TLS failed: tlsv1 alert protocol version');
  });
});
