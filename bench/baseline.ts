/**
 * The baseline: a raw Node mutual-TLS 1.3 socket pair with the same certificates Lockstep makes
 * (self-signed ECDSA P-256 from `createIdentity`), the same pin check (SPKI SHA-256 of the peer's
 * certificate, on both sides), and newline-delimited JSON — and nothing else: no tap, no record
 * observer, no events, no database. The server greets a `hello` with a `hello`, acknowledges each
 * `msg` with an `ack` and only counts `line` frames.
 *
 * With `observe: true` the same pair runs through Lockstep's tap and record observer on both
 * sides (every record split and decrypted a second time, events built and dropped): the
 * observer's share of Lockstep's cost, measured on its own. With `tapOnly` as well, the tap is
 * there but nothing is decoded: what running TLS over a JavaScript stream costs by itself.
 */
import { randomUUID } from 'node:crypto';
import { connect as netConnect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect, createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';

import type { Identity } from '../main/core/identity/identity';
import { createRecordObserver } from '../main/core/tls/record-observer';
import { Tap } from '../main/core/tls/tap';
import { pinOfCertificate } from '../main/core/trust/pins';
import { now, sendInChunks } from './stats';
import { UNGATED } from '../main/core/tls/disclosure';

const ALPN = 'lockstep/1';

export interface BaselineOptions {
  /** Put Lockstep's tap + record observer on both sides (decrypt every record again). */
  observe?: boolean;
  /** With `observe`: the tap alone, no record observer (TLS through a JS stream, nothing decoded). */
  tapOnly?: boolean;
}

/** Counts what the observers produced, so their work cannot be optimised away. */
export const observerStats = { events: 0, decrypted: 0 };

function observed(raw: Socket, role: 'dialer' | 'listener', options: BaselineOptions): { tap: Tap; onKeylog: (line: Buffer) => void } {
  const tap = new Tap(raw);
  if (options.tapOnly) return { tap, onKeylog: () => undefined };
  const observer = createRecordObserver({
    role,
    conn: `bench-${role}`,
    disclosure: UNGATED,
    emit: (e) => {
      observerStats.events += 1;
      if (e.kind === 'tls.record' && e.detail.decrypted) observerStats.decrypted += 1;
    },
  });
  tap.onBytes = (dir, chunk) => observer.onBytes(dir, chunk);
  return { tap, onKeylog: (line) => observer.onKeylog(line) };
}

/** Split a socket's text into lines without copying the unread rest for every line. */
function onLines(socket: TLSSocket, handle: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let start = 0;
    let nl: number;
    while ((nl = buffered.indexOf('\n', start)) >= 0) {
      handle(buffered.slice(start, nl));
      start = nl + 1;
    }
    buffered = buffered.slice(start);
  });
}

function pinCheck(socket: TLSSocket, expected: string): boolean {
  const cert = socket.getPeerX509Certificate();
  return cert !== undefined && pinOfCertificate(cert) === expected;
}

export class BaselineServer {
  /** `line` frames received (the throughput test's counter). */
  lines = 0;
  private readonly sockets = new Set<Socket>();
  private lineWaiter: { n: number; resolve: () => void } | null = null;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(creds: Identity, clientPin: string, options: BaselineOptions = {}): Promise<BaselineServer> {
    const tlsOptions: TlsOptions = {
      key: creds.keyPem,
      cert: creds.certPem,
      minVersion: 'TLSv1.3',
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: [ALPN],
    };
    let instance: BaselineServer | null = null;
    const onSecure = (socket: TLSSocket) => {
      socket.on('error', () => socket.destroy());
      if (!pinCheck(socket, clientPin)) return void socket.destroy();
      onLines(socket, (line) => {
        const frame = JSON.parse(line) as { type: string; id?: string };
        if (frame.type === 'line') instance!.countLine();
        else if (frame.type === 'msg') socket.write(`${JSON.stringify({ type: 'ack', id: frame.id })}\n`);
        else if (frame.type === 'hello') socket.write(`${JSON.stringify({ type: 'hello', v: 1, name: 'baseline server', caps: [] })}\n`);
      });
    };
    const shared = options.observe ? null : createTlsServer(tlsOptions, onSecure);
    const server = createNetServer((raw) => {
      raw.setNoDelay(true);
      instance?.sockets.add(raw);
      raw.once('close', () => instance?.sockets.delete(raw));
      raw.on('error', () => raw.destroy());
      if (shared) return void shared.emit('connection', raw);
      // Like Lockstep's listener: one TLS server per connection, so its keylog is that connection's.
      const { tap, onKeylog } = observed(raw, 'listener', options);
      const perConnection = createTlsServer(tlsOptions, onSecure);
      perConnection.on('keylog', (line) => onKeylog(line));
      perConnection.on('tlsClientError', () => raw.destroy());
      perConnection.emit('connection', tap);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('baseline server has no address');
    instance = new BaselineServer(server, address.port);
    return instance;
  }

  private countLine(): void {
    this.lines += 1;
    if (this.lineWaiter && this.lines >= this.lineWaiter.n) {
      this.lineWaiter.resolve();
      this.lineWaiter = null;
    }
  }

  /** Resolves when `n` line frames have arrived in all. */
  waitLines(n: number): Promise<void> {
    if (this.lines >= n) return Promise.resolve();
    return new Promise((resolve) => (this.lineWaiter = { n, resolve }));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface BaselineConnection {
  socket: TLSSocket;
  /** ms from the TCP connect call to a secured, pin-checked socket. */
  secureMs: number;
  /** The part of secureMs until TLS said secure, before the pin check (bench/connect-phases.ts). */
  tlsSecureMs: number;
  /** ms from the TCP connect call to the server's hello (one JSON line round trip after secure). */
  readyMs: number;
  /** Called for every line the server sends after its hello. */
  onLine: (line: string) => void;
  send(frame: object): void;
  close(): Promise<void>;
}

/** Connect, handshake, check the server's pin, exchange hellos. */
export function connectBaseline(port: number, creds: Identity, serverPin: string, options: BaselineOptions = {}): Promise<BaselineConnection> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const raw = netConnect({ host: '127.0.0.1', port });
    raw.setNoDelay(true);
    const tlsOptions: ConnectionOptions = {
      key: creds.keyPem,
      cert: creds.certPem,
      minVersion: 'TLSv1.3',
      rejectUnauthorized: false,
      ALPNProtocols: [ALPN],
    };
    let socket: TLSSocket;
    if (options.observe) {
      const { tap, onKeylog } = observed(raw, 'dialer', options);
      socket = tlsConnect({ ...tlsOptions, socket: tap });
      socket.on('keylog', (line) => onKeylog(line));
    } else {
      socket = tlsConnect({ ...tlsOptions, socket: raw });
    }
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const tlsSecureMs = now() - t0;
      if (!pinCheck(socket, serverPin)) {
        socket.destroy();
        return reject(new Error('baseline: server pin mismatch'));
      }
      const secureMs = now() - t0;
      const conn: BaselineConnection = {
        socket,
        secureMs,
        tlsSecureMs,
        readyMs: NaN,
        onLine: () => undefined,
        send: (frame) => void socket.write(`${JSON.stringify(frame)}\n`),
        close: () =>
          new Promise<void>((done) => {
            if (socket.destroyed) return done();
            socket.once('close', () => done());
            socket.end();
            setTimeout(() => socket.destroy(), 1_000).unref();
          }),
      };
      let greeted = false;
      onLines(socket, (line) => {
        if (greeted) return conn.onLine(line);
        greeted = true;
        conn.readyMs = now() - t0;
        resolve(conn);
      });
      conn.send({ type: 'hello', v: 1, name: 'baseline client', caps: [] });
    });
  });
}

/** One `msg` → `ack` round trip on an open connection; returns ms. */
export function baselineRoundTrip(conn: BaselineConnection, id: string, text: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = now();
    conn.onLine = (line) => {
      const frame = JSON.parse(line) as { type: string; id?: string };
      if (frame.type === 'ack' && frame.id === id) resolve(now() - t0);
    };
    conn.send({ type: 'msg', id, at: new Date().toISOString(), text });
  });
}

/** `n` one-way `line` frames (in chunks, as Lockstep's); resolves when the server has parsed all of them; returns ms. */
export async function baselineThroughput(server: BaselineServer, conn: BaselineConnection, n: number, textOf: (i: number) => string): Promise<number> {
  const start = server.lines;
  const done = server.waitLines(start + n);
  const t0 = now();
  await sendInChunks(n, (i) => conn.send({ type: 'line', id: randomUUID(), at: new Date().toISOString(), text: textOf(i) }));
  await done;
  return now() - t0;
}

/** `total` msg/ack exchanges with at most `window` unacknowledged. */
export function baselineSoak(conn: BaselineConnection, total: number, textOf: (i: number) => string, window = 1_000, onProgress?: (acked: number) => void): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    let acked = 0;
    let scheduled = false;
    const pump = () => {
      scheduled = false;
      while (sent < total && sent - acked < window) {
        conn.send({ type: 'msg', id: randomUUID(), at: new Date().toISOString(), text: textOf(sent) });
        sent += 1;
      }
    };
    conn.onLine = (line) => {
      if ((JSON.parse(line) as { type: string }).type !== 'ack') return;
      acked += 1;
      if (onProgress && acked % 100_000 === 0) onProgress(acked);
      if (acked === total) resolve();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    };
    pump();
  });
}
