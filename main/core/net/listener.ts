/**
 * The listening role: accept TCP, run the TLS handshake through the tap (one tls.Server per
 * connection, so its keylog and errors belong to that connection alone), require a certificate
 * and ALPN, then hand the untouched socket to the messenger, which judges the pin. Nothing is
 * read from the socket here. Connections in handshake are capped (in all and per source address),
 * and so is how fast one address may open them: past either the newcomer is closed at once,
 * before it costs a TLS state or a line in the panel.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

import type { Endpoint } from '../../../shared/events';
import { errorCode, LockstepError } from '../errors';
import type { Slots, SourceRate } from '../trust/slots';
import { type HandshakeContext, onTlsError, reportTlsError, runtimeOf, tapSocket } from './handshake';
import { inspectSecured, type SecuredPeer } from './peer-check';
import { listenerTlsOptions, type TlsCredentials, type TlsTuning } from './tls-options';

export interface ListenerOptions {
  creds: TlsCredentials;
  tuning: TlsTuning;
  /** A fresh handshake context (with a new connection id) per accepted socket. */
  context: () => HandshakeContext;
  onSecured: (peer: SecuredPeer) => void;
  /** Seats for connections whose handshake has not finished. */
  handshakes: Slots;
  /** How fast one source address may open new connections. */
  accepts: SourceRate;
  /** A newcomer was closed because the handshake seats were full. */
  onRefused: (code: 'TOO_MANY_CONNECTIONS') => void;
}

export class Listener {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: ListenerOptions) {}

  get address(): Endpoint | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? { address: a.address, port: a.port } : null;
  }

  listen(host: string, port: number): Promise<Endpoint> {
    return new Promise((resolve, reject) => {
      const server = createServer((raw) => this.accept(raw));
      server.once('error', (err: Error & { code?: string }) => {
        const hint = err.code === 'EADDRINUSE' ? ' Another program (or another Lockstep) uses that port: pick another with --port.' : '';
        reject(new LockstepError('LISTEN_FAILED', `Cannot listen on ${host}:${port} (${errorCode(err)}).${hint}`, { cause: err }));
      });
      server.listen(port, host, () => {
        this.server = server;
        resolve(this.address!);
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(raw: Socket): void {
    raw.on('error', () => raw.destroy());
    const source = raw.remoteAddress ?? '?';
    const seat = this.options.accepts.allow(source) ? this.options.handshakes.take(source) : null;
    if (!seat) {
      raw.destroy();
      this.options.onRefused('TOO_MANY_CONNECTIONS');
      return;
    }
    raw.once('close', seat);
    const ctx = this.options.context();
    const startedAt = performance.now();
    raw.setNoDelay(true);
    this.sockets.add(raw);
    raw.once('close', () => this.sockets.delete(raw));
    const remote = `${raw.remoteAddress}:${raw.remotePort}`;
    ctx.emit({
      conn: ctx.conn,
      dir: 'in',
      layer: 'tcp',
      kind: 'tcp.accept',
      summary: `Accepted a TCP connection from ${remote} (the operating system completed SYN, SYN-ACK, ACK). Nothing is secret yet.`,
      detail: {
        local: { address: raw.localAddress ?? '?', port: raw.localPort ?? 0 },
        remote: { address: raw.remoteAddress ?? '?', port: raw.remotePort ?? 0 },
      },
    });
    const tapped = tapSocket(raw, ctx);
    const { tap, onKeylog } = tapped;
    const tlsServer = createTlsServer({
      ...listenerTlsOptions(this.options.creds, this.options.tuning, runtimeOf(ctx)),
      handshakeTimeout: ctx.handshakeTimeoutMs,
    });
    tlsServer.on('keylog', (line) => onKeylog(line));
    tlsServer.on('tlsClientError', (err) => {
      reportTlsError(ctx, err);
      raw.destroy();
    });
    tlsServer.on('secureConnection', (socket) => {
      seat();
      onTlsError(socket, ctx);
      try {
        this.options.onSecured(inspectSecured(socket, tapped, { ...ctx, tuning: this.options.tuning }, startedAt, remote));
        // Handed on: the handshake's records may be decrypted again now, off this path (record-observer.ts).
        tapped.observer?.handshakeDone();
      } catch (err) {
        this.refuse(ctx, err);
        socket.destroy();
      }
    });
    tlsServer.emit('connection', tap);
  }

  private refuse(ctx: HandshakeContext, err: unknown): void {
    const code = errorCode(err);
    ctx.emit({
      conn: ctx.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.check',
      summary: `Refused: ${(err as Error).message}`,
      detail: {
        role: 'listener',
        expected: null,
        presented: null,
        verdict: code === 'NO_CERTIFICATE' ? 'no-certificate' : 'unknown',
        contactId: null,
        contactName: null,
      },
    });
  }
}
