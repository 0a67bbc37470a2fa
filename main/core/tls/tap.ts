/**
 * A Duplex that sits between a TCP socket and Node's TLS, so the panel sees every byte that
 * crosses the wire, both ways, exactly as sent (ciphertext after the handshake).
 *
 *   socket --data--> tap.push()  --> TLS reads it          ('in')
 *   TLS writes  --> tap._write() --> socket.write()        ('out')
 *
 * Wiring: dialer `tls.connect({ socket: tap })`; listener `tlsServer.emit('connection', tap)` —
 * not `new TLSSocket(tap, { isServer: true })`, which skips the server's client-certificate
 * enforcement (net/listener.test.ts checks that a client without a certificate is refused).
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export type TapDirection = 'in' | 'out';

export class Tap extends Duplex {
  /** Sees every chunk; for 'out' it sees the bytes actually written (after transformOutbound), once written. */
  onBytes?: (dir: TapDirection, chunk: Buffer) => void;
  /** The tamper drill's hook: rewrite a chunk on its way to the wire (e.g. flip one bit). */
  transformOutbound?: (chunk: Buffer) => Buffer;

  constructor(readonly socket: Socket) {
    super({ allowHalfOpen: true });
    socket.on('data', (chunk: Buffer) => this.fromSocket(chunk));
    // The peer's FIN ends what TLS can read; TLS decides about its own side (close_notify, end).
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
    socket.on('timeout', () => this.emit('timeout'));
  }

  private fromSocket(chunk: Buffer): void {
    this.observe('in', chunk);
    // Backpressure: stop reading TCP until TLS asks for more (_read).
    if (!this.push(chunk)) this.socket.pause();
  }

  /**
   * A failing observer must never break the connection it watches: it is detached and the
   * failure reported as 'hookError' (the bytes still flow).
   */
  private observe(dir: TapDirection, chunk: Buffer): void {
    if (!this.onBytes) return;
    try {
      this.onBytes(dir, chunk);
    } catch (err) {
      this.onBytes = undefined;
      this.emit('hookError', err);
    }
  }

  override _read(): void {
    if (this.socket.isPaused()) this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let out = chunk;
    try {
      if (this.transformOutbound) out = this.transformOutbound(chunk);
    } catch (err) {
      callback(err as Error);
      return;
    }
    // Written first, observed after: an 'out' event means the bytes were handed to the socket (the
    // kernel, unless it was full), so a process killed right after the event still sends them.
    const flushed = this.socket.write(out);
    this.observe('out', out);
    if (flushed) callback();
    else this.socket.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.socket.destroyed) this.socket.destroy();
    callback(error);
  }

  // The socket's address getters and timers, so code holding the tap can treat it like a socket.
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
  setTimeout(ms: number, callback?: () => void): this {
    this.socket.setTimeout(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay);
    return this;
  }
}
