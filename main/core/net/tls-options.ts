/**
 * The TLS settings of both roles, as pure data. Certificates are self-signed, so chain validation
 * is off (`rejectUnauthorized: false`) and trust comes from Lockstep's own SPKI pin check, done
 * before any application byte moves. TLS 1.3 only: a 1.2 peer fails the handshake.
 */
import type { ConnectionOptions, TlsOptions } from 'node:tls';

import { ALPN } from '../wire/protocol';

export interface TlsCredentials {
  keyPem: string;
  certPem: string;
}

export interface TlsTuning {
  /** Restrict the TLS 1.3 suites (OpenSSL names); only honoured where the runtime allows it. */
  cipherSuites?: string;
}

export function listenerTlsOptions(creds: TlsCredentials, tuning: TlsTuning = {}): TlsOptions {
  return {
    key: creds.keyPem,
    cert: creds.certPem,
    minVersion: 'TLSv1.3',
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: [ALPN],
    ...(tuning.cipherSuites ? { ciphers: tuning.cipherSuites } : {}),
  };
}

export function dialerTlsOptions(creds: TlsCredentials, tuning: TlsTuning = {}): ConnectionOptions {
  return {
    key: creds.keyPem,
    cert: creds.certPem,
    minVersion: 'TLSv1.3',
    rejectUnauthorized: false,
    ALPNProtocols: [ALPN],
    ...(tuning.cipherSuites ? { ciphers: tuning.cipherSuites } : {}),
  };
}
