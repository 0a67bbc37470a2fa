/**
 * The floor of any durable messenger that encrypts at rest, with no Lockstep code: the raw
 * mutual-TLS pair of baseline.ts (same certificates, same pin check, newline-delimited JSON),
 * where both sides also seal each message (ChaCha20-Poly1305, Node's built-in, a fresh random
 * nonce per row) and store it in SQLite (better-sqlite3, WAL, synchronous NORMAL — Lockstep's
 * settings) in one transaction per read (or per burst handed over in one turn, at the sender):
 *
 *   sender: seal + store the message(s), one transaction → write them;
 *   receiver: per read, seal + store every message in it, one transaction → write the acks;
 *   sender: per read, mark every acked message delivered, one transaction.
 *
 * No observer, no events, no outbox replay: only the work durability and encryption at rest
 * cannot avoid. Lockstep is shown against this as well as against raw TLS.
 */
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as createTlsServer, type Server, type TLSSocket } from 'node:tls';

import Database from 'better-sqlite3';

import type { Identity } from '../main/core/identity/identity';
import { pinOfCertificate } from '../main/core/trust/pins';
import { now, scratchDir } from './stats';

const ALPN = 'lockstep/1';

/** One side's sealed history: a table of messages and a state column. */
class FloorDb {
  private readonly db: Database.Database;
  private readonly key = randomBytes(32);
  private readonly insert;
  private readonly deliver;

  constructor(dir: string) {
    this.db = new Database(join(dir, 'floor.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE messages (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body BLOB NOT NULL, at TEXT NOT NULL, state TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO messages (id, body, at, state) VALUES (?, ?, ?, ?)');
    this.deliver = this.db.prepare("UPDATE messages SET state = 'delivered' WHERE id = ?");
  }

  private seal(id: string, text: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('chacha20-poly1305', this.key, nonce, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(id), { plaintextLength: Buffer.byteLength(text) });
    return Buffer.concat([nonce, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  }

  store(frames: readonly { id: string; text: string; at: string }[], state: string): void {
    const rows = frames.map((f) => [f.id, this.seal(f.id, f.text), f.at, state] as const);
    this.db.transaction(() => {
      for (const [id, body, at, st] of rows) this.insert.run(id, body, at, st);
    })();
  }

  delivered(ids: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.deliver.run(id);
    })();
  }

  close(): void {
    this.db.close();
  }
}

interface Frame {
  type: string;
  id: string;
  at: string;
  text: string;
}

/** Every complete line of each read, handed over together (one call per read). */
function onReads(socket: TLSSocket, handle: (frames: Frame[]) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    if (lines.length > 0) handle(lines.map((l) => JSON.parse(l) as Frame));
  });
}

const pinOk = (socket: TLSSocket, expected: string) => {
  const cert = socket.getPeerX509Certificate();
  return cert !== undefined && pinOfCertificate(cert) === expected;
};

/** The receiving side: per read, stores every message in one transaction, then writes their acks. */
export class FloorReceiver {
  /** `line` messages stored. */
  private stored = 0;
  private storedWaiter: { n: number; resolve: () => void } | null = null;

  private constructor(
    private readonly server: Server,
    private readonly db: FloorDb,
    readonly port: number,
  ) {}

  static async start(server: Identity, clientPin: string): Promise<FloorReceiver> {
    const db = new FloorDb(scratchDir('lockstep-floor-r-'));
    let receiver: FloorReceiver | null = null;
    const tlsServer = createTlsServer(
      { key: server.keyPem, cert: server.certPem, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false, ALPNProtocols: [ALPN] },
      (socket) => {
        socket.on('error', () => socket.destroy());
        if (!pinOk(socket, clientPin)) return void socket.destroy();
        onReads(socket, (frames) => receiver?.receive(socket, frames));
      },
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    receiver = new FloorReceiver(tlsServer, db, (tlsServer.address() as { port: number }).port);
    return receiver;
  }

  private receive(socket: TLSSocket, frames: Frame[]): void {
    this.db.store(frames, 'received');
    const acks = frames.filter((f) => f.type === 'msg').map((f) => `{"type":"ack","id":${JSON.stringify(f.id)}}\n`);
    if (acks.length > 0) socket.write(acks.join(''));
    this.stored += frames.filter((f) => f.type === 'line').length;
    if (this.storedWaiter && this.stored >= this.storedWaiter.n) {
      this.storedWaiter.resolve();
      this.storedWaiter = null;
    }
  }

  /** Resolves once `n` more `line` messages than now have been stored. */
  storedMore(n: number): Promise<void> {
    const target = this.stored + n;
    return new Promise<void>((resolve) => (this.storedWaiter = { n: target, resolve }));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.db.close();
  }
}

/** The sending side, with the receiver in this process (`open`) or in another one (`dialTo`). */
export class FloorPair {
  private ackWaiters = new Map<string, () => void>();

  private constructor(
    private readonly client: TLSSocket,
    private readonly sender: FloorDb,
    /** null when the receiver runs in another process: only round trips can be timed then. */
    private readonly receiver: FloorReceiver | null,
  ) {}

  static async open(server: Identity, client: Identity): Promise<FloorPair> {
    const receiver = await FloorReceiver.start(server, client.pin);
    return FloorPair.connect(receiver.port, server.pin, client, receiver);
  }

  /** A sender here for a receiver elsewhere (bench/listener-process.ts) at `port` with `serverPin`. */
  static dialTo(port: number, serverPin: string, client: Identity): Promise<FloorPair> {
    return FloorPair.connect(port, serverPin, client, null);
  }

  private static async connect(port: number, serverPin: string, client: Identity, receiver: FloorReceiver | null): Promise<FloorPair> {
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port, key: client.keyPem, cert: client.certPem, minVersion: 'TLSv1.3', rejectUnauthorized: false, ALPNProtocols: [ALPN] });
      s.once('error', reject);
      s.once('secureConnect', () => (pinOk(s, serverPin) ? resolve(s) : reject(new Error('floor: server pin mismatch'))));
    });
    socket.setNoDelay(true);
    const pair = new FloorPair(socket, new FloorDb(scratchDir('lockstep-floor-s-')), receiver);
    onReads(socket, (frames) => pair.acked(frames));
    return pair;
  }

  /** The sender: the acks of one read, applied in one transaction. */
  private acked(frames: Frame[]): void {
    const ids = frames.filter((f) => f.type === 'ack').map((f) => f.id);
    this.sender.delivered(ids);
    for (const id of ids) {
      this.ackWaiters.get(id)?.();
      this.ackWaiters.delete(id);
    }
  }

  /** Store, send, and resolve on the ack (after the receiver stored it); returns ms. */
  roundTrip(text: string): Promise<number> {
    const t0 = now();
    const frame = { type: 'msg', id: randomUUID(), at: new Date().toISOString(), text };
    return new Promise((resolve) => {
      this.ackWaiters.set(frame.id, () => resolve(now() - t0));
      this.sender.store([frame], 'sent');
      this.client.write(`${JSON.stringify(frame)}\n`);
    });
  }

  /** `n` one-way messages in chunks of 100 (one transaction and one write per chunk); resolves when all are stored at the receiver; returns ms. */
  async throughput(n: number, textOf: (i: number) => string): Promise<number> {
    if (!this.receiver) throw new Error('floor: throughput needs the receiver in this process');
    const done = this.receiver.storedMore(n);
    const t0 = now();
    for (let i = 0; i < n; ) {
      const frames: Frame[] = [];
      for (const end = Math.min(n, i + 100); i < end; i++) frames.push({ type: 'line', id: randomUUID(), at: new Date().toISOString(), text: textOf(i) });
      this.sender.store(frames, 'sent');
      this.client.write(frames.map((f) => `${JSON.stringify(f)}\n`).join(''));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await done;
    return now() - t0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
      setTimeout(() => this.client.destroy(), 1_000).unref();
    });
    await this.receiver?.close();
    this.sender.close();
  }
}
