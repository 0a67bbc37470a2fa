/**
 * What both roles do around the TLS handshake: put the tap between TCP and TLS so every byte is
 * observed, feed the record observer and the keylog, bound the handshake in time, and turn every
 * failure into an event and a destroyed socket (after the handshake a TLS error does not close
 * the socket by itself).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { EventInput, Role } from '../../../shared/events';
import { errorCode } from '../errors';
import { createRecordObserver } from '../tls/record-observer';
import { Tap } from '../tls/tap';

export interface HandshakeContext {
  conn: string;
  role: Role;
  emit: (event: EventInput) => void;
  revealSecrets: boolean;
  handshakeTimeoutMs: number;
}

export function tapSocket(raw: Socket, ctx: HandshakeContext): { tap: Tap; onKeylog: (line: Buffer) => void } {
  const tap = new Tap(raw);
  const observer = createRecordObserver({ role: ctx.role, conn: ctx.conn, emit: ctx.emit, revealSecrets: ctx.revealSecrets });
  tap.onBytes = (dir, chunk) => observer.onBytes(dir, chunk);
  return { tap, onKeylog: (line) => observer.onKeylog(line) };
}

/** Destroy the socket if the handshake has not finished in time. Returns the cancel function. */
export function handshakeDeadline(socket: TLSSocket, ctx: HandshakeContext): () => void {
  const timer = setTimeout(() => {
    reportTlsError(ctx, Object.assign(new Error('handshake timeout'), { code: 'ERR_TLS_HANDSHAKE_TIMEOUT' }));
    socket.destroy();
  }, ctx.handshakeTimeoutMs);
  socket.once('close', () => clearTimeout(timer));
  return () => clearTimeout(timer);
}

/** Words for the OpenSSL alert codes a user is most likely to meet. */
function explainTlsError(code: string, message: string): string {
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|wrong version/i.test(code + message)) {
    return 'The other side offered an older TLS version; Lockstep speaks TLS 1.3 only.';
  }
  if (/CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN_A_CERTIFICATE/i.test(code + message)) {
    return 'The other side presented no certificate: both sides must prove who they are.';
  }
  if (/NO_APPLICATION_PROTOCOL/i.test(code + message)) return 'The other side does not speak lockstep/1 (ALPN).';
  if (/ECONNRESET|socket hang up/i.test(code + message)) return 'The other side dropped the connection during the handshake.';
  return `TLS failed: ${message}`;
}

function alertOf(message: string): string | null {
  const match = /alert (?:number )?([a-z0-9 _]+)/i.exec(message) ?? /SSL alert number (\d+)/.exec(message);
  return match ? match[1]!.trim() : null;
}

/** Turn a TLS failure into a `tls.error` event a presenter can read out. */
export function reportTlsError(ctx: HandshakeContext, err: Error): void {
  const code = errorCode(err);
  const timeout = code === 'ERR_TLS_HANDSHAKE_TIMEOUT';
  ctx.emit({
    conn: ctx.conn,
    dir: 'local',
    layer: 'tls',
    kind: 'tls.error',
    summary: timeout ? `The TLS handshake did not finish within ${ctx.handshakeTimeoutMs / 1000} s: dropped.` : explainTlsError(code, err.message),
    detail: { code: timeout ? 'HANDSHAKE_TIMEOUT' : code, message: err.message, alert: alertOf(err.message) },
  });
}

/** Report a TLS-level failure (in the handshake, or a bad record later) once, and make sure the socket is gone. */
export function onTlsError(socket: TLSSocket, ctx: HandshakeContext): void {
  let reported = false;
  socket.on('error', (err: Error) => {
    if (!reported) reportTlsError(ctx, err);
    reported = true;
    socket.destroy();
  });
}
