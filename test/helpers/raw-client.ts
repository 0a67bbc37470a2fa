/**
 * Foreign clients for the listener: a raw TCP socket (for handshakes that never finish) and a
 * plain Node TLS client that speaks the wire protocol by hand, line by line, so tests can send
 * exactly the bytes a misbehaving peer would.
 */
import net from 'node:net';
import tls from 'node:tls';

import { DEFAULT_WAIT_MS, onceEvent, waitUntil } from './wait';

export interface RawFrame {
  type?: unknown;
  [key: string]: unknown;
}

export interface RawTlsOptions {
  key?: Buffer;
  cert?: Buffer;
  alpn?: string[] | null;
  maxVersion?: tls.SecureVersion;
  minVersion?: tls.SecureVersion;
  /** Dial from this local address (another loopback address, 127.0.0.2, is another source host). */
  localAddress?: string;
}

/** A TLS client that collects every newline-terminated JSON frame the listener sends. */
export class LineClient {
  readonly frames: RawFrame[] = [];
  closed = false;
  error: Error | null = null;
  private rest = '';

  private constructor(readonly socket: tls.TLSSocket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const lines = (this.rest + text).split('\n');
      this.rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.frames.push(JSON.parse(line) as RawFrame);
    });
    socket.on('error', (err) => (this.error = err));
    socket.on('close', () => (this.closed = true));
  }

  static async connect(address: string, o: RawTlsOptions = {}): Promise<LineClient> {
    const [host, port] = address.split(':') as [string, string];
    const socket = tls.connect({
      host,
      port: Number(port),
      rejectUnauthorized: false,
      ...(o.key ? { key: o.key } : {}),
      ...(o.cert ? { cert: o.cert } : {}),
      ...(o.alpn === null ? {} : { ALPNProtocols: o.alpn ?? ['lockstep/1'] }),
      minVersion: o.minVersion ?? 'TLSv1.3',
      ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    });
    const client = new LineClient(socket);
    await Promise.race([
      onceEvent(socket, 'secureConnect', `the TLS handshake with ${address}`),
      onceEvent<[Error]>(socket, 'error', 'a TLS error').then(([err]) => Promise.reject(err)),
    ]);
    return client;
  }

  send(frame: object | string): void {
    this.socket.write(typeof frame === 'string' ? frame : `${JSON.stringify(frame)}\n`);
  }

  /** The `count`-th frame matching `where`, already received or still to come. */
  next(where: (f: RawFrame) => boolean, what: string, { count = 1, timeoutMs = DEFAULT_WAIT_MS } = {}): Promise<RawFrame> {
    return waitUntil(
      () => {
        const found = this.frames.filter(where);
        if (found.length >= count) return found[count - 1];
        if (this.closed) throw new Error(`the connection closed while waiting for ${what}; frames seen: ${JSON.stringify(this.frames)}`);
        return undefined;
      },
      what,
      { timeoutMs, describe: () => `frames seen: ${JSON.stringify(this.frames).slice(0, 400)}` },
    );
  }

  waitClosed(what = 'the listener to close the connection'): Promise<true> {
    return waitUntil(() => this.closed, what, { describe: () => `frames seen: ${JSON.stringify(this.frames).slice(0, 400)}` });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A TCP connection that says whatever it is told, and notes when the other side drops it. */
export async function rawTcp(address: string): Promise<{ socket: net.Socket; closed: () => boolean }> {
  const [host, port] = address.split(':') as [string, string];
  const socket = net.connect(Number(port), host);
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await onceEvent(socket, 'connect', `TCP connect to ${address}`);
  return { socket, closed: () => closed };
}

/** The bytes of a real ClientHello from Node's TLS client (captured by a throwaway TCP server). */
export async function captureClientHello(): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const got = new Promise<Buffer>((resolve) => server.once('connection', (s) => s.once('data', (d: Buffer) => (resolve(d), s.destroy()))));
  const client = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['lockstep/1'] });
  client.on('error', () => undefined);
  const hello = await got;
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return hello;
}
