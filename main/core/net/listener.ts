/**
 * The listening role: accept TCP, run the TLS handshake through the tap (one tls.Server per
 * connection, so its keylog and errors belong to that connection alone), require a certificate
 * and ALPN, then hand the untouched socket to the messenger, which judges the pin. Nothing is
 * read from the socket here. Connections in handshake are capped (in all and per source address),
 * and so is how fast one address may open them: past either the newcomer is closed at once,
 * before it costs a TLS state or a line in the panel.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';

import type { Endpoint } from '../../../shared/events';
import { errorCode, LockstepError } from '../errors';
import type { Slots, SourceRate } from '../trust/slots';
import type { RuntimeFeatures } from '../runtime/runtime-features';
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

/** What a tls.Server is made for, besides the listener's own credentials and tuning. */
interface ServerRecipe {
  runtime: RuntimeFeatures;
  handshakeTimeoutMs: number;
}

export class Listener {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** The tls.Server for the next connection, made ahead (see takeTlsServer). */
  private spare: { tlsServer: TlsServer; recipe: ServerRecipe } | null = null;

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
    this.spare = null;
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
    const recipe = { runtime: runtimeOf(ctx), handshakeTimeoutMs: ctx.handshakeTimeoutMs };
    const tlsServer = this.takeTlsServer(recipe);
    tlsServer.on('keylog', (line) => onKeylog(line));
    tlsServer.on('tlsClientError', (err) => {
      reportTlsError(ctx, err);
      raw.destroy();
      this.prepareSpare(recipe);
    });
    tlsServer.on('secureConnection', (socket) => {
      seat();
      onTlsError(socket, ctx);
      try {
        this.options.onSecured(inspectSecured(socket, tapped, { ...ctx, tuning: this.options.tuning, creds: this.options.creds }, startedAt, remote));
        // Handed on: the handshake's records may be decrypted again now, off this path (record-observer.ts).
        tapped.observer?.handshakeDone();
      } catch (err) {
        this.refuse(ctx, err);
        socket.destroy();
      }
      this.prepareSpare(recipe);
    });
    tlsServer.emit('connection', tap);
  }

  /**
   * One tls.Server per connection, so its keylog and errors belong to that connection alone, and
   * each is used once. Making one builds a SecureContext from the PEM key and certificate (about
   * 0.3 ms here), so the next connection's is made ahead, once this one's handshake is over: no
   * handshake waits for it. The first connection, and one that comes while the spare is still
   * being made, make their own.
   */
  private takeTlsServer(recipe: ServerRecipe): TlsServer {
    const spare = this.spare;
    this.spare = null;
    if (spare && sameRecipe(spare.recipe, recipe)) return spare.tlsServer;
    return this.makeTlsServer(recipe);
  }

  private prepareSpare(recipe: ServerRecipe): void {
    setImmediate(() => {
      if (this.server && !this.spare) this.spare = { tlsServer: this.makeTlsServer(recipe), recipe };
    });
  }

  private makeTlsServer(recipe: ServerRecipe): TlsServer {
    return createTlsServer({
      ...listenerTlsOptions(this.options.creds, this.options.tuning, recipe.runtime),
      handshakeTimeout: recipe.handshakeTimeoutMs,
    });
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

function sameRecipe(a: ServerRecipe, b: ServerRecipe): boolean {
  return a.runtime === b.runtime && a.handshakeTimeoutMs === b.handshakeTimeoutMs;
}
