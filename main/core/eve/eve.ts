/**
 * Eve, the drills' adversary: a TCP relay that sits between a dialer and a listener. The dialer
 * is pointed at Eve's port (with the listener's pin); Eve forwards each connection to the
 * listener and, depending on her mode:
 *
 *   passive   relays every byte and shows what an eavesdropper sees (hellos, then ciphertext)
 *   tamper    flips one bit in the dialer's first application-data record (once), then relays faithfully
 *   replay    sends the dialer's first application-data record twice (once)
 *   impostor  terminates TLS on both sides with her own certificate (a Lockstep identity of hers)
 *
 * Everything she does is a real event on her own stream (`drill.eve`, `tls.record`, …), and each
 * connection ends with a plain-language `drill.verdict`.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';

import type { Endpoint, EventInput } from '../../../shared/events';
import { errorCode, LockstepError } from '../errors';
import type { Identity } from '../identity/identity';
import type { HostPort } from '../net/address';
import { TIMEOUTS } from '../policy';
import type { RuntimeFeatures } from '../runtime/runtime-features';
import { Impostor } from './impostor';
import { Relay } from './relay';
import { type EveMode, tagAsEve } from './types';

export type { EveMode } from './types';

export interface EveOptions {
  listen: HostPort;
  forward: HostPort;
  mode: EveMode;
  emit: (event: EventInput) => void;
  /** Eve's own certificate: required for `impostor`, unused otherwise. */
  identity?: Identity;
  handshakeTimeoutMs?: number;
  /** Prefix of her connection ids (default `eve`), so several Eves on one event stream stay apart. */
  connPrefix?: string;
  /** The engine's probed TLS features (absent: all), for the impostor's TLS legs. */
  runtime?: RuntimeFeatures;
}

export interface Eve {
  /** Where the dialer should connect instead of the listener. */
  readonly address: Endpoint;
  readonly mode: EveMode;
  close(): Promise<void>;
}

export async function createEve(options: EveOptions): Promise<Eve> {
  if (options.mode === 'impostor' && !options.identity) {
    throw new LockstepError('BAD_ARGUMENT', 'The impostor needs a certificate of her own: give Eve an identity.');
  }
  const eve = new EveServer(options);
  await eve.listen();
  return eve;
}

class EveServer implements Eve {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly impostors = new Set<Impostor>();
  private counter = 0;
  /** Tamper and replay strike once, so the dialer's reconnection goes through untouched. */
  private attackUsed = false;

  constructor(private readonly o: EveOptions) {}

  get mode(): EveMode {
    return this.o.mode;
  }

  get address(): Endpoint {
    const a = this.server?.address();
    if (!a || typeof a !== 'object') throw new LockstepError('NOT_CONNECTED', 'Eve is not listening.');
    return { address: a.address, port: a.port };
  }

  listen(): Promise<void> {
    const { host, port } = this.o.listen;
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', (err) => reject(new LockstepError('LISTEN_FAILED', `Eve cannot listen on ${host}:${port} (${errorCode(err)}).`, { cause: err })));
      server.listen(port, host, () => {
        this.server = server;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const impostor of this.impostors) impostor.destroy();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private accept(dialer: Socket): void {
    const conn = `${this.o.connPrefix ?? 'eve'}-${++this.counter}`;
    const emit = tagAsEve(this.o.emit, conn, null);
    dialer.setNoDelay(true);
    this.track(dialer);
    emit({
      conn,
      dir: 'in',
      layer: 'tcp',
      kind: 'tcp.accept',
      summary: `A dialer connected to Eve from ${dialer.remoteAddress}:${dialer.remotePort}, believing she is the listener (mode: ${this.o.mode}).`,
      detail: {
        local: { address: dialer.localAddress ?? '?', port: dialer.localPort ?? 0 },
        remote: { address: dialer.remoteAddress ?? '?', port: dialer.remotePort ?? 0 },
      },
    });
    if (this.o.mode === 'impostor') {
      const impostor = new Impostor(dialer, {
        conn,
        emit,
        identity: this.o.identity!,
        forward: this.o.forward,
        handshakeTimeoutMs: this.o.handshakeTimeoutMs ?? TIMEOUTS.handshakeMs,
        runtime: this.o.runtime,
      });
      this.impostors.add(impostor);
      dialer.once('close', () => this.impostors.delete(impostor));
      return;
    }
    this.forward(conn, dialer, emit);
  }

  private forward(conn: string, dialer: Socket, emit: (e: EventInput) => void): void {
    const { host, port } = this.o.forward;
    const startedAt = performance.now();
    // Hold the dialer's first bytes until the listener is reached.
    dialer.pause();
    const listener = tcpConnect({ host, port });
    listener.setNoDelay(true);
    this.track(listener);
    let connected = false;
    listener.on('error', (err: Error & { code?: string }) => {
      if (connected) return; // the relay reports and closes from here on
      emit({
        conn,
        dir: 'local',
        layer: 'tcp',
        kind: 'tcp.error',
        summary: `Eve could not reach the listener at ${host}:${port} (${err.code ?? 'error'}); dropping the dialer.`,
        detail: { code: err.code ?? 'CONNECT_FAILED', message: err.message, remote: `${host}:${port}` },
      });
      dialer.destroy();
    });
    listener.once('connect', () => {
      connected = true;
      emit({
        conn,
        dir: 'out',
        layer: 'tcp',
        kind: 'tcp.connect',
        summary: `Eve opened her own TCP connection to the listener at ${host}:${port}; from now on she relays every byte.`,
        detail: {
          local: { address: listener.localAddress ?? '?', port: listener.localPort ?? 0 },
          remote: { address: listener.remoteAddress ?? '?', port: listener.remotePort ?? 0 },
          ms: Math.round((performance.now() - startedAt) * 10) / 10,
        },
      });
      new Relay(dialer, listener, {
        conn,
        mode: this.o.mode as Exclude<EveMode, 'impostor'>,
        emit,
        claimAttack: () => {
          if (this.attackUsed) return false;
          this.attackUsed = true;
          return true;
        },
      });
      dialer.resume();
    });
    dialer.on('error', () => dialer.destroy());
    dialer.once('close', () => {
      if (listener.connecting) listener.destroy();
    });
  }
}
