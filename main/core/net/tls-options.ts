/**
 * The TLS settings of both roles, as pure data. Certificates are self-signed, so chain validation
 * is off (`rejectUnauthorized: false`) and trust comes from Lockstep's own SPKI pin check, done
 * before any application byte moves. TLS 1.3 only: a 1.2 peer fails the handshake. Both roles
 * offer the same key-exchange groups (key-exchange-groups.ts), the hybrid post-quantum one first.
 */
import type { ConnectionOptions, TlsOptions } from 'node:tls';

import { ALL_FEATURES, type RuntimeFeatures } from '../runtime/runtime-features';
import { ALPN } from '../wire/protocol';
import { defaultOffer, ecdhCurveFor, type GroupName } from './key-exchange-groups';

export interface TlsCredentials {
  keyPem: string;
  certPem: string;
}

export interface TlsTuning {
  /**
   * Restrict the TLS 1.3 suites (OpenSSL names). Only passed on where the runtime honours it:
   * BoringSSL (Electron) has a built-in TLS 1.3 order that no cipher string changes, so there the
   * restriction is dropped and `tls.secure` carries the `cipher-selection` gap instead.
   */
  cipherSuites?: string;
  /** The key-exchange groups to offer and accept, in order; absent: everything the runtime has. */
  groups?: readonly GroupName[];
}

function ciphersOption(tuning: TlsTuning, runtime: RuntimeFeatures): { ciphers?: string } {
  return tuning.cipherSuites && runtime.cipherSelection ? { ciphers: tuning.cipherSuites } : {};
}

export function listenerTlsOptions(creds: TlsCredentials, tuning: TlsTuning = {}, runtime: RuntimeFeatures = ALL_FEATURES): TlsOptions {
  return {
    key: creds.keyPem,
    cert: creds.certPem,
    minVersion: 'TLSv1.3',
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: [ALPN],
    ecdhCurve: ecdhCurveFor(tuning.groups ?? defaultOffer()),
    ...ciphersOption(tuning, runtime),
  };
}

export function dialerTlsOptions(creds: TlsCredentials, tuning: TlsTuning = {}, runtime: RuntimeFeatures = ALL_FEATURES): ConnectionOptions {
  return { ...contextSettings(creds, tuning, runtime), ...dialerConnectionSettings() };
}

/** What a dialer's SecureContext is made of: its own key and certificate, TLS 1.3, the groups and suites. */
export function contextSettings(creds: TlsCredentials, tuning: TlsTuning = {}, runtime: RuntimeFeatures = ALL_FEATURES) {
  return {
    key: creds.keyPem,
    cert: creds.certPem,
    minVersion: 'TLSv1.3' as const,
    ecdhCurve: ecdhCurveFor(tuning.groups ?? defaultOffer()),
    ...ciphersOption(tuning, runtime),
  };
}

/** A dialer's settings that belong to each connection rather than to its context. */
export function dialerConnectionSettings(): ConnectionOptions {
  return { rejectUnauthorized: false, ALPNProtocols: [ALPN] };
}
