/**
 * The checks a freshly secured socket must pass before any application byte is read or written:
 * it is TLS 1.3, it speaks lockstep/1, it presented a certificate, and (for a dialer) its key is
 * the pinned one. None of these depends on an optional runtime feature (runtime-features.ts).
 */
import type { TLSSocket } from 'node:tls';

import type { CertificateSummary, EventDetails } from '../../../shared/events';
import { LockstepError } from '../errors';
import { cleanName } from '../trust/names';
import { ALPN } from '../wire/protocol';
import { ownCertificateSummary, secureDetail } from './certificate-summary';
import type { Connection } from './connection';
import { type HandshakeContext, runtimeOf } from './handshake';
import type { TlsCredentials, TlsTuning } from './tls-options';

export interface SecuredPeer {
  socket: TLSSocket;
  /** The connection this peer came on: its tap, disclosure, witness, role and origin. */
  connection: Connection;
  conn: string;
  pin: string;
  certificate: CertificateSummary;
  secure: EventDetails['tls.secure'];
  remote: string;
  /** The peer's IP address alone (caps per source address count by it). */
  source: string;
}

/** Emit `tls.secure` and return the peer's certificate, or throw if it is not a Lockstep peer. */
export function inspectSecured(socket: TLSSocket, connection: Connection, ctx: HandshakeContext & { tuning?: TlsTuning; creds?: TlsCredentials }, startedAt: number, remote: string): SecuredPeer {
  const restricted = Boolean(ctx.tuning?.cipherSuites);
  const handshakeMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const own = ctx.creds ? ownCertificateSummary(ctx.creds.certPem) : undefined;
  const secure = secureDetail(socket, ctx.role, handshakeMs, runtimeOf(ctx), restricted, connection.keyExchange.summary(), own);
  ctx.emit({
    conn: ctx.conn,
    dir: 'local',
    layer: 'tls',
    kind: 'tls.secure',
    summary: `${secure.protocol} handshake complete in ${secure.handshakeMs} ms: ${secure.cipherStandardName}${groupWords(secure)}. From here on every byte is encrypted and integrity-protected.`,
    detail: secure,
  });
  // minVersion already refuses older versions; this holds even on a runtime that ignored it.
  if (secure.protocol !== 'TLSv1.3') {
    throw new LockstepError('VERSION_UNSUPPORTED', `The connection was made with ${secure.protocol}, not TLS 1.3: refused.`);
  }
  if (secure.alpn !== ALPN) {
    throw new LockstepError('WRONG_ALPN', `The other side does not speak ${ALPN} (it offered ${secure.alpn ?? 'no protocol'}).`);
  }
  if (!secure.peerCertificate) {
    throw new LockstepError('NO_CERTIFICATE', 'The other side presented no certificate: both sides must prove who they are.');
  }
  const source = connection.tap.remoteAddress ?? remote;
  return { socket, connection, conn: ctx.conn, pin: secure.peerCertificate.pin, certificate: secure.peerCertificate, secure, remote, source };
}

function groupWords(secure: EventDetails['tls.secure']): string {
  if (!secure.group) return '';
  return secure.keyExchange?.postQuantum ? `, key exchange ${secure.group} (post-quantum hybrid: ML-KEM-768 + X25519)` : `, key exchange ${secure.group}`;
}

/**
 * The CN of a certificate subject (`CN=Alice`), the name the peer claims: RFC 4514 escapes undone
 * (Node prints `Doe\, John`, and a control as `\07`), then cleaned like every name from a peer.
 */
export function claimedName(certificate: CertificateSummary): string {
  const line = certificate.subject.split('\n').find((l) => l.startsWith('CN='));
  return (line && cleanName(unescapeRdnValue(line.slice(3)))) || 'Unnamed';
}

/** `\,` → `,` and `\C3\A9` → `é` (hex pairs are UTF-8 bytes); anything undecodable becomes U+FFFD. */
function unescapeRdnValue(value: string): string {
  return value.replace(/(?:\\[0-9a-fA-F]{2})+|\\(.)/gsu, (match, single: string | undefined) =>
    single ?? Buffer.from(match.replace(/\\/g, ''), 'hex').toString('utf8'),
  );
}
