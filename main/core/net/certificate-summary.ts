/** What the panel shows of a certificate, from Node's X509Certificate (both runtimes have it). */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

import type { CertificateSummary, EventDetails, KeyExchangeSummary, Role, RuntimeGap } from '../../../shared/events';
import { GAP_OF, type RuntimeFeatures } from '../runtime/runtime-features';
import { pinOfCertificate } from '../trust/pins';

export function summarizeCertificate(cert: X509Certificate): CertificateSummary {
  const key = cert.publicKey;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    pin: pinOfCertificate(cert),
    publicKeyAlgorithm: curve ? `${key.asymmetricKeyType} ${curve}` : String(key.asymmetricKeyType),
    signatureAlgorithm: signatureAlgorithmOf(cert),
  };
}

let own: { certPem: string; summary: CertificateSummary } | null = null;

/**
 * This side's own certificate as the panel shows it: the one its TLS contexts are made from, the
 * same for every connection, so it is read once per certificate rather than from each socket
 * (about 0.1 ms of each handshake's critical path).
 */
export function ownCertificateSummary(certPem: string): CertificateSummary {
  if (own?.certPem !== certPem) own = { certPem, summary: summarizeCertificate(new X509Certificate(certPem)) };
  return { ...own.summary };
}

/** Node does not expose the signature algorithm; ECDSA with SHA-256 is what Lockstep issues. */
function signatureAlgorithmOf(cert: X509Certificate): string {
  return cert.publicKey.asymmetricKeyType === 'ec' ? 'ecdsa-with-SHA256 (expected)' : 'unknown';
}

/**
 * The `tls.secure` event detail, read from socket getters that Node and Electron both provide.
 * `restricted`: a TLS 1.3 cipher-suite restriction was asked for (TlsTuning.cipherSuites).
 * The group comes from the ServerHello on the wire when the observer saw it: the socket reports
 * it only to a dialer, and Node 22 (and BoringSSL) not at all for a hybrid group.
 * `ownCertificate`: this side's, when the caller knows it (ownCertificateSummary); else read from the socket.
 */
export function secureDetail(
  socket: TLSSocket,
  role: Role,
  handshakeMs: number,
  runtime: RuntimeFeatures,
  restricted: boolean,
  keyExchange: KeyExchangeSummary | null = null,
  ownCertificate?: CertificateSummary,
): EventDetails['tls.secure'] {
  const cipher = socket.getCipher();
  const peer = socket.getPeerX509Certificate();
  const local = ownCertificate ?? socket.getX509Certificate();
  const keyInfo = role === 'dialer' ? socket.getEphemeralKeyInfo() : null;
  const reported = keyInfo && 'name' in keyInfo && keyInfo.name ? String(keyInfo.name) : null;
  const group = keyExchange?.chosen ?? reported;
  const runtimeGaps: RuntimeGap[] = [];
  if (!runtime.signatureAlgorithms) runtimeGaps.push(GAP_OF.signatureAlgorithms);
  if (!runtime.keylog) runtimeGaps.push(GAP_OF.keylog);
  if (restricted && !runtime.cipherSelection) runtimeGaps.push(GAP_OF.cipherSelection);
  return {
    role,
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher.name,
    cipherStandardName: cipher.standardName ?? cipher.name,
    group,
    alpn: socket.alpnProtocol || null,
    peerCertificate: peer ? summarizeCertificate(peer) : null,
    localCertificate: local instanceof X509Certificate ? summarizeCertificate(local) : (local ?? null),
    // BoringSSL's SSL_get_shared_sigalgs is a stub that returns zero, so Electron answers [].
    signatureAlgorithms: runtime.signatureAlgorithms ? sharedSigalgs(socket) : [],
    handshakeMs,
    ...(runtimeGaps.length > 0 ? { runtimeGaps } : {}),
    ...(keyExchange ? { keyExchange } : {}),
  };
}

function sharedSigalgs(socket: TLSSocket): string[] {
  try {
    return socket.getSharedSigalgs?.() ?? [];
  } catch {
    return []; // a runtime may lack the getter on one role: the list is for the panel only
  }
}
