/**
 * A tiny TCP relay for cutting a connection on purpose: it listens on loopback, forwards each
 * connection to a target, and `cut()` stops listening and drops every relayed connection at once
 * (a clean close, or a TCP reset). `start()` again on the same port brings the path back.
 * `holdAfter()` lets only so many more bytes through from the dialler to the target and holds the
 * rest, in order, until `release()`: a burst can be stopped halfway on the wire, whatever the
 * speed of the machine.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted since the relay was made (over all its starts). */
  accepted = 0;
  private boundPort = 0;
  /** How many more dialler bytes may pass; Infinity: no valve. */
  private budget = Infinity;
  private readonly waiting: Array<{ chunk: Buffer; to: Socket; from: Socket }> = [];

  constructor(
    private readonly target: { host: string; port: number },
    private readonly host = '127.0.0.1',
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return `${this.host}:${this.boundPort}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Listen (on `port`, or on the port of the previous start, or on a free one) and relay. */
  start(port = this.boundPort): Promise<number> {
    if (this.server) throw new Error('the relay is already running');
    return new Promise((resolve, reject) => {
      const server = createServer((client) => this.relay(client));
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.server = server;
        this.boundPort = (server.address() as { port: number }).port;
        resolve(this.boundPort);
      });
    });
  }

  /** Stop listening and drop every relayed connection: `reset` sends RST, otherwise a plain close. */
  async cut(how: 'close' | 'reset' = 'close'): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    this.waiting.length = 0;
    for (const s of this.sockets) {
      if (how === 'reset' && !s.destroyed) s.resetAndDestroy();
      else s.destroy();
    }
    this.sockets.clear();
    await closed;
  }

  /** Let `bytes` more from the dialler through, then hold what follows until release(). */
  holdAfter(bytes: number): void {
    this.budget = bytes;
    this.flush();
  }

  /** Bytes from the dialler held back now. */
  get held(): number {
    return this.waiting.reduce((n, w) => n + w.chunk.length, 0);
  }

  /** Let `bytes` more through (all of them, and no valve from now on, by default). */
  release(bytes = Infinity): void {
    this.budget = bytes === Infinity ? Infinity : this.budget + bytes;
    this.flush();
  }

  /** Drop what is held (its target is gone) and open the valve. */
  discardHeld(): void {
    for (const w of this.waiting.splice(0)) w.from.resume();
    this.budget = Infinity;
  }

  private relay(client: Socket): void {
    this.accepted += 1;
    const upstream = createConnection(this.target);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.sockets.delete(a);
        b.destroy();
      });
      if (a === client) a.on('data', (chunk: Buffer) => this.fromDialler(chunk, client, upstream));
      else a.pipe(b);
    }
  }

  private fromDialler(chunk: Buffer, from: Socket, to: Socket): void {
    this.waiting.push({ chunk, to, from });
    this.flush();
  }

  /** Send on what the budget allows, in order; pause a dialler whose bytes wait (TCP pushes back). */
  private flush(): void {
    while (this.waiting.length > 0 && this.budget > 0) {
      const head = this.waiting[0]!;
      const n = Math.min(head.chunk.length, this.budget);
      if (!head.to.destroyed) head.to.write(head.chunk.subarray(0, n));
      this.budget -= n;
      if (n === head.chunk.length) {
        this.waiting.shift();
        head.from.resume();
      } else head.chunk = head.chunk.subarray(n);
    }
    for (const w of this.waiting) w.from.pause();
  }
}
