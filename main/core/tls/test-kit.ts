/**
 * Test support for main/core/tls (imported only by *.test.ts): throwaway certificates made by
 * openssl, a real loopback TLS 1.3 pair wired through Taps with an observer on each side, and
 * a record sealer for synthetic decryptor tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { EventInput, RecordDetail } from '../../../shared/events';
import { recordNonce, trafficKeys, type CipherSuite } from './key-schedule';
import { createRecordObserver, type RecordObserverOptions, type WireDir } from './record-observer';
import type { TlsRecord } from './record-splitter';
import { Tap } from './tap';
import { UNGATED } from './disclosure';

export interface Certs {
  dir: string;
  keyPath: string;
  certPath: string;
  key: Buffer;
  cert: Buffer;
  cleanup(): void;
}

export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-tls-'));
  const keyPath = join(dir, 'k');
  const certPath = join(dir, 'c');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=x', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return { dir, keyPath, certPath, key: readFileSync(keyPath), cert: readFileSync(certPath), cleanup };
}

export interface Capture {
  /** Every chunk the dialer's tap saw, in order, with its direction. */
  chunks: { dir: WireDir; bytes: Buffer }[];
  keylog: Buffer[];
}

export interface Pair {
  client: tls.TLSSocket;
  server: tls.TLSSocket;
  clientTap: Tap;
  events: { dialer: EventInput[]; listener: EventInput[] };
  dialerCapture: Capture;
  listenerKeylog: Buffer[];
  close(): Promise<void>;
}

export interface PairOptions {
  certs: Certs;
  ciphers?: string;
  observer?: Partial<RecordObserverOptions>;
  server?: tls.TlsOptions;
  client?: tls.ConnectionOptions;
}

const tlsOptions = (o: PairOptions) => ({
  key: o.certs.key,
  cert: o.certs.cert,
  rejectUnauthorized: false,
  minVersion: 'TLSv1.3' as const,
  ...(o.ciphers ? { ciphers: o.ciphers } : {}),
});

/** A listener (net server → Tap → tlsServer.emit('connection')) and a dialer, both observed. */
export async function openPair(o: PairOptions): Promise<Pair> {
  const events = { dialer: [] as EventInput[], listener: [] as EventInput[] };
  const dialerCapture: Capture = { chunks: [], keylog: [] };
  const listenerKeylog: Buffer[] = [];
  const tlsServer = tls.createServer({ ...tlsOptions(o), requestCert: true, ...o.server });
  const lobs = createRecordObserver({ role: 'listener', conn: 'L', emit: (e) => events.listener.push(e), disclosure: UNGATED, ...o.observer });
  tlsServer.on('keylog', (line: Buffer) => (listenerKeylog.push(line), lobs.onKeylog(line)));
  const netServer = net.createServer((sock) => {
    const tap = new Tap(sock);
    tap.onBytes = (dir, chunk) => lobs.onBytes(dir, chunk);
    tlsServer.emit('connection', tap);
  });
  await new Promise<void>((resolve) => netServer.listen(0, '127.0.0.1', resolve));
  const port = (netServer.address() as net.AddressInfo).port;
  const serverReady = new Promise<tls.TLSSocket>((resolve) => tlsServer.once('secureConnection', resolve));
  const sock = await new Promise<net.Socket>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
  });
  const clientTap = new Tap(sock);
  const dobs = createRecordObserver({ role: 'dialer', conn: 'D', emit: (e) => events.dialer.push(e), disclosure: UNGATED, ...o.observer });
  clientTap.onBytes = (dir, chunk) => (dialerCapture.chunks.push({ dir, bytes: Buffer.from(chunk) }), dobs.onBytes(dir, chunk));
  const client = tls.connect({ socket: clientTap, ...tlsOptions(o), ...o.client });
  client.on('keylog', (line) => (dialerCapture.keylog.push(line), dobs.onKeylog(line)));
  await new Promise<void>((resolve, reject) => client.once('secureConnect', resolve).once('error', reject));
  const server = await serverReady;
  const close = async () => {
    const closed = Promise.all([once(client, 'close'), once(server, 'close')]);
    client.end();
    server.end();
    await closed;
    dobs.flush();
    lobs.flush();
    await new Promise<void>((resolve) => netServer.close(() => resolve()));
    tlsServer.close();
  };
  return { client, server, clientTap, events, dialerCapture, listenerKeylog, close };
}

/** Resolve once `events` holds an event matching `test` (checked after each turn of the loop). */
export function eventually(events: EventInput[], test: (e: EventInput) => boolean): Promise<EventInput> {
  return new Promise((resolve) => {
    const poll = () => {
      const hit = events.find(test);
      if (hit) resolve(hit);
      else setImmediate(poll);
    };
    poll();
  });
}

export function once(emitter: NodeJS.EventEmitter, event: string): Promise<unknown> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

/** Resolve when `readable` has delivered `length` bytes; returns them. */
export function collect(readable: NodeJS.ReadableStream, length: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      parts.push(d);
      have += d.length;
      if (have >= length) {
        readable.removeListener('data', onData);
        resolve(Buffer.concat(parts));
      }
    };
    readable.on('data', onData);
  });
}

export const recordsOf = (events: EventInput[], dir?: WireDir): RecordDetail[] =>
  events.flatMap((e) => (e.kind === 'tls.record' && (!dir || e.dir === dir) ? [e.detail] : []));

export const appPlaintext = (records: RecordDetail[]): string =>
  records.filter((r) => r.decrypted?.innerContentType === 'application_data').map((r) => r.decrypted!.plaintext ?? '').join('');

export const handshakeNames = (records: RecordDetail[]): string[] => records.flatMap((r) => r.decrypted?.handshakeMessages ?? []);

/** Seal a TLS 1.3 record the way a sender does (RFC 8446 §5.2), for synthetic tests. */
export function sealRecord(suite: CipherSuite, secret: Uint8Array, sequence: number, innerType: number, content: Uint8Array, padding = 0): TlsRecord {
  const { key, iv } = trafficKeys(suite, secret);
  const inner = new Uint8Array(content.length + 1 + padding);
  inner.set(content);
  inner[content.length] = innerType;
  const length = inner.length + suite.tagLength;
  const header = Uint8Array.of(23, 3, 3, length >> 8, length & 0xff);
  const body = suite.aead.seal(key, recordNonce(iv, sequence), header, inner);
  return { contentType: 23, version: 0x0303, length, header, body };
}

export const handshakeMessage = (type: number, body: Uint8Array): Uint8Array =>
  Uint8Array.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff, ...body]);

/** Serialise a record back to wire bytes. */
export const wire = (r: TlsRecord): Buffer => Buffer.concat([r.header, r.body]);
