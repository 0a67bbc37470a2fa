/**
 * A tiny TCP relay for cutting a connection on purpose: it listens on loopback, forwards each
 * connection to a target, and `cut()` stops listening and drops every relayed connection at once
 * (a clean close, or a TCP reset). `start()` again on the same port brings the path back.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted since the relay was made (over all its starts). */
  accepted = 0;
  private boundPort = 0;

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
    for (const s of this.sockets) {
      if (how === 'reset' && !s.destroyed) s.resetAndDestroy();
      else s.destroy();
    }
    this.sockets.clear();
    await closed;
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
      a.pipe(b);
    }
  }
}
