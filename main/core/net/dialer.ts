/**
 * The dialing role: TCP connect, TLS handshake through the tap, then the pin check. The listener
 * is always checked against the pin the user holds; a different key stops the connection right
 * there, before a single application byte is written (PIN_MISMATCH).
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

import { LockstepError } from '../errors';
import { handshakeDeadline, type HandshakeContext, onTlsError, runtimeOf, tapSocket } from './handshake';
import { inspectSecured, type SecuredPeer } from './peer-check';
import { dialerConnectOptions } from './dialer-contexts';
import type { TlsCredentials, TlsTuning } from './tls-options';

export interface DialRequest {
  host: string;
  port: number;
  /** The pin the listener must present; null only when pairing by code will decide instead. */
  expectedPin: string | null;
  contactId: string | null;
  contactName: string | null;
}

export interface DialContext extends HandshakeContext {
  creds: TlsCredentials;
  tuning: TlsTuning;
}

function endpoint(socket: Socket, side: 'local' | 'remote') {
  return side === 'local'
    ? { address: socket.localAddress ?? '?', port: socket.localPort ?? 0 }
    : { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 };
}

function connectTcp(ctx: DialContext, req: DialRequest): Promise<{ raw: Socket; startedAt: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const raw = tcpConnect({ host: req.host, port: req.port });
    raw.setNoDelay(true);
    const timer = setTimeout(() => raw.destroy(new LockstepError('TIMEOUT', `No answer from ${req.host}:${req.port}.`)), ctx.handshakeTimeoutMs);
    raw.once('error', (err: Error & { code?: string }) => {
      clearTimeout(timer);
      const code = err.code ?? 'CONNECT_FAILED';
      ctx.emit({
        conn: ctx.conn,
        dir: 'local',
        layer: 'tcp',
        kind: 'tcp.error',
        summary: `Could not open a TCP connection to ${req.host}:${req.port} (${code}).`,
        detail: { code, message: err.message, remote: `${req.host}:${req.port}` },
      });
      reject(new LockstepError('CONNECT_FAILED', `Cannot reach ${req.host}:${req.port} (${code}). Is the other side listening, and does a firewall allow the port?`, { cause: err }));
    });
    raw.once('connect', () => {
      clearTimeout(timer);
      const ms = Math.round((performance.now() - startedAt) * 10) / 10;
      ctx.emit({
        conn: ctx.conn,
        dir: 'out',
        layer: 'tcp',
        kind: 'tcp.connect',
        summary: `TCP connection open to ${req.host}:${req.port} in ${ms} ms (SYN, SYN-ACK, ACK by the operating systems). Nothing is secret yet.`,
        detail: { local: endpoint(raw, 'local'), remote: endpoint(raw, 'remote'), ms },
      });
      resolve({ raw, startedAt });
    });
  });
}

function checkPin(peer: SecuredPeer, ctx: DialContext, req: DialRequest): void {
  if (req.expectedPin === null) {
    ctx.emit({
      conn: ctx.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.check',
      summary: 'No pin yet: this connection is for pairing by code, which decides whether this key is trusted. Nothing else is exchanged before it succeeds.',
      detail: { role: 'dialer', expected: null, presented: peer.pin, verdict: 'unknown', contactId: null, contactName: null },
    });
    return;
  }
  const verdict = peer.pin === req.expectedPin ? 'match' : 'mismatch';
  const who = req.contactName || 'the contact';
  ctx.emit({
    conn: ctx.conn,
    dir: 'local',
    layer: 'trust',
    kind: 'trust.check',
    summary:
      verdict === 'match'
        ? `Pin check passed: the key presented is the one pinned for ${who} ✓`
        : `PIN MISMATCH: this is not ${who}. The key presented differs from the pinned one; nothing was sent.`,
    detail: {
      role: 'dialer',
      expected: req.expectedPin,
      presented: peer.pin,
      verdict,
      contactId: req.contactId,
      contactName: req.contactName,
    },
  });
  if (verdict === 'mismatch') {
    throw new LockstepError('PIN_MISMATCH', `This is not ${who}: expected key ${req.expectedPin}, presented key ${peer.pin}. Nothing was sent.`, {
      details: { expected: req.expectedPin, presented: peer.pin },
    });
  }
}

function handshake(raw: Socket, startedAt: number, ctx: DialContext, req: DialRequest): Promise<SecuredPeer> {
  return new Promise((resolve, reject) => {
    const connection = tapSocket(raw, ctx);
    const { tap, onKeylog } = connection;
    const socket: TLSSocket = tlsConnect({ ...dialerConnectOptions(ctx.creds, ctx.tuning, runtimeOf(ctx)), socket: tap });
    socket.on('keylog', onKeylog);
    const cancelDeadline = handshakeDeadline(socket, ctx);
    onTlsError(socket, ctx);
    let secured = false;
    socket.once('close', () => {
      if (!secured) reject(new LockstepError('TLS_ERROR', `The TLS handshake with ${req.host}:${req.port} failed; see the panel for the reason.`));
    });
    socket.once('secureConnect', () => {
      secured = true;
      cancelDeadline();
      try {
        const peer = inspectSecured(socket, connection, ctx, startedAt, `${req.host}:${req.port}`);
        checkPin(peer, ctx, req);
        resolve(peer);
        // Checked: the handshake's records may be decrypted again now, off this path (record-observer.ts).
        connection.observer?.handshakeDone();
      } catch (err) {
        socket.destroy();
        reject(err);
      }
    });
  });
}

/** Connect, handshake and check the pin. Resolves with a socket nobody has read from or written to. */
export async function dial(ctx: DialContext, req: DialRequest): Promise<SecuredPeer> {
  const { raw, startedAt } = await connectTcp(ctx, req);
  return handshake(raw, startedAt, ctx, req);
}
