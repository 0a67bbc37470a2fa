/**
 * Eve as a man in the middle with her own certificate: she terminates TLS toward the dialer
 * (posing as the listener) and dials the listener (posing as the dialer), both times with her own
 * Lockstep identity, and would pass the plaintext along between the two. Each peer therefore
 * sees a key that is not the one it pinned; the pin check must refuse it before any application
 * byte flows. Being an endpoint of both connections, she can decrypt her own records, and her
 * stream shows it.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket } from 'node:tls';

import type { EventInput } from '../../../shared/events';
import type { Identity } from '../identity/identity';
import type { HostPort } from '../net/address';
import { type HandshakeContext, onTlsError, reportTlsError, tapSocket } from '../net/handshake';
import { inspectSecured, type SecuredPeer } from '../net/peer-check';
import { dialerTlsOptions, listenerTlsOptions } from '../net/tls-options';
import type { RuntimeFeatures } from '../runtime/runtime-features';
import { asciiPreview, hexPreview } from './record-cursor';
import { type Side, tagAsEve } from './types';

export interface ImpostorOptions {
  conn: string;
  emit: (event: EventInput) => void;
  identity: Identity;
  forward: HostPort;
  handshakeTimeoutMs: number;
  /** The engine's probed TLS features (absent: all), for Eve's two TLS legs. */
  runtime?: RuntimeFeatures;
}

/** When one peer is gone, how long the other may take to finish its own judgement of Eve's key. */
const DECISION_GRACE_MS = 3_000;

interface Leg {
  ctx: HandshakeContext;
  raw: Socket | null;
  socket: TLSSocket | null;
  secured: SecuredPeer | null;
  queue: Buffer[];
  read: number;
  closed: boolean;
  error: string | null;
}

export class Impostor {
  private readonly legs: Record<Side, Leg>;
  private done = false;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(
    dialerRaw: Socket,
    private readonly o: ImpostorOptions,
  ) {
    const ctx = (side: Side): HandshakeContext => ({
      conn: `${o.conn}/${side}`,
      role: side === 'dialer' ? 'listener' : 'dialer', // Eve plays the other role toward each
      origin: 'eve',
      emit: tagAsEve(o.emit, o.conn, side),
      revealSecrets: false,
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      runtime: o.runtime,
    });
    const leg = (side: Side): Leg => ({ ctx: ctx(side), raw: null, socket: null, secured: null, queue: [], read: 0, closed: false, error: null });
    this.legs = { dialer: leg('dialer'), listener: leg('listener') };
    this.answerDialer(dialerRaw);
    this.dialListener();
  }

  /** Toward the dialer Eve is the TLS server, with her own certificate. */
  private answerDialer(raw: Socket): void {
    const leg = this.legs.dialer;
    leg.raw = raw;
    const startedAt = performance.now();
    raw.on('error', () => raw.destroy());
    raw.once('close', () => this.closed('dialer'));
    const tapped = tapSocket(raw, leg.ctx);
    const { tap, onKeylog } = tapped;
    const server = createTlsServer({ ...listenerTlsOptions(this.o.identity), handshakeTimeout: this.o.handshakeTimeoutMs });
    server.on('keylog', (line) => onKeylog(line));
    server.on('tlsClientError', (err) => {
      leg.error = err.message;
      reportTlsError(leg.ctx, err);
      raw.destroy();
    });
    server.on('secureConnection', (socket) => {
      onTlsError(socket, leg.ctx);
      this.secured('dialer', socket, () => inspectSecured(socket, tapped, leg.ctx, startedAt, `${raw.remoteAddress}:${raw.remotePort}`));
    });
    server.emit('connection', tap);
  }

  /** Toward the listener Eve is the TLS client, presenting the same certificate of hers. */
  private dialListener(): void {
    const leg = this.legs.listener;
    const { host, port } = this.o.forward;
    const startedAt = performance.now();
    const raw = tcpConnect({ host, port });
    leg.raw = raw;
    let connected = false;
    raw.setNoDelay(true);
    raw.on('error', (err: Error & { code?: string }) => {
      leg.error ??= err.message;
      if (!connected) {
        leg.ctx.emit({
          conn: leg.ctx.conn,
          dir: 'local',
          layer: 'tcp',
          kind: 'tcp.error',
          summary: `Eve could not reach the listener at ${host}:${port} (${err.code ?? 'error'}).`,
          detail: { code: err.code ?? 'CONNECT_FAILED', message: err.message, remote: `${host}:${port}` },
        });
      }
      raw.destroy();
    });
    raw.once('close', () => this.closed('listener'));
    raw.once('connect', () => {
      connected = true;
      leg.ctx.emit({
        conn: leg.ctx.conn,
        dir: 'out',
        layer: 'tcp',
        kind: 'tcp.connect',
        summary: `Eve opened her own TCP connection to the listener at ${host}:${port}.`,
        detail: {
          local: { address: raw.localAddress ?? '?', port: raw.localPort ?? 0 },
          remote: { address: raw.remoteAddress ?? '?', port: raw.remotePort ?? 0 },
          ms: Math.round((performance.now() - startedAt) * 10) / 10,
        },
      });
      const tapped = tapSocket(raw, leg.ctx);
      const { tap, onKeylog } = tapped;
      const socket = tlsConnect({ ...dialerTlsOptions(this.o.identity), socket: tap });
      socket.on('keylog', onKeylog);
      onTlsError(socket, leg.ctx);
      socket.once('secureConnect', () => this.secured('listener', socket, () => inspectSecured(socket, tapped, leg.ctx, startedAt, `${host}:${port}`)));
    });
  }

  private secured(side: Side, socket: TLSSocket, inspect: () => SecuredPeer): void {
    const leg = this.legs[side];
    leg.socket = socket;
    socket.on('error', () => socket.destroy());
    try {
      leg.secured = inspect();
    } catch (err) {
      leg.error = (err as Error).message;
      socket.destroy();
      return;
    }
    const who = side === 'dialer' ? 'the dialer' : 'the listener';
    leg.ctx.emit({
      conn: leg.ctx.conn,
      dir: 'local',
      layer: 'drill',
      kind: 'drill.eve',
      summary: `Eve finished a TLS handshake with ${who} presenting her own certificate (${this.o.identity.pin}); ${who} showed ${leg.secured.pin}. Its pin check decides now.`,
      detail: { mode: 'impostor', action: 'terminated', from: side, bytes: 0, hex: '', ascii: '' },
    });
    socket.on('data', (chunk: Buffer) => this.plaintext(side, chunk));
    this.flush();
  }

  /** Application bytes Eve decrypted herself: if a peer ever sends any, she reads them. */
  private plaintext(from: Side, chunk: Buffer): void {
    this.legs[from].read += chunk.length;
    this.legs[from].ctx.emit({
      conn: this.legs[from].ctx.conn,
      dir: 'in',
      layer: 'drill',
      kind: 'drill.eve',
      summary: `EVE READ ${chunk.length} BYTES OF PLAINTEXT FROM THE ${from.toUpperCase()}: "${asciiPreview(chunk, 64)}"`,
      detail: { mode: 'impostor', action: 'relayed', from, bytes: chunk.length, hex: hexPreview(chunk), ascii: asciiPreview(chunk, 64) },
    });
    this.legs[other(from)].queue.push(chunk);
    this.flush();
  }

  private flush(): void {
    for (const side of ['dialer', 'listener'] as const) {
      const leg = this.legs[side];
      if (!leg.secured || !leg.socket || leg.socket.destroyed) continue;
      for (const chunk of leg.queue.splice(0)) leg.socket.write(chunk);
    }
  }

  /**
   * One peer is gone. The other is given a moment to finish its own handshake and pin check —
   * that judgement is what the drill is for — and is then closed.
   */
  private closed(side: Side): void {
    this.legs[side].closed = true;
    if (this.legs.dialer.closed && this.legs.listener.closed) return this.finish();
    this.graceTimer ??= setTimeout(() => this.destroy(), DECISION_GRACE_MS);
  }

  /** Close both legs now (Eve is shutting down, or a peer took too long). */
  destroy(): void {
    for (const leg of Object.values(this.legs)) {
      leg.socket?.destroy();
      leg.raw?.destroy();
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const d = this.legs.dialer;
    const l = this.legs.listener;
    const dialerWords = d.secured
      ? d.read === 0
        ? `The dialer (key ${d.secured.pin}) finished the handshake, saw her key instead of the one it pinned and hung up without sending one byte of application data.`
        : `THE DIALER ACCEPTED HER KEY AND SENT HER ${d.read} BYTES OF APPLICATION DATA.`
      : `The dialer hung up before finishing the handshake with her${d.error ? ` (${d.error})` : ''}, once her certificate had reached it: it sent no application data.`;
    const listenerWords = l.secured
      ? l.read === 0
        ? `The listener (key ${l.secured.pin}) closed without greeting her: her key is not one it pinned.`
        : `The listener let her key in as a new contact of its own (trust on first use) and greeted her — as herself, not as the dialer: nothing of the dialer's reached it through her.`
      : `The listener refused her handshake${l.error ? ` (${l.error})` : ''}.`;
    // The man in the middle wins only if the dialer, who holds the real pin, talks to her.
    const outcome = d.read === 0 ? 'defeated' : 'succeeded';
    const reason = `Eve presented her own certificate (${this.o.identity.pin}) to both sides. ${dialerWords} ${listenerWords} ${d.read === 0 ? 'Eve read no message from the dialer.' : 'EVE READ THE DIALER\'S APPLICATION DATA.'}`;
    this.o.emit({
      conn: this.o.conn,
      dir: 'local',
      layer: 'drill',
      kind: 'drill.verdict',
      summary: outcome === 'defeated' ? `Impostor defeated by the pin check. ${reason}` : `IMPOSTOR GOT THROUGH. ${reason}`,
      detail: { drill: 'impostor', outcome, reason },
    });
  }
}

const other = (side: Side): Side => (side === 'dialer' ? 'listener' : 'dialer');
