/**
 * KeyUpdate (RFC 8446 §4.6.3) from a foreign peer: Node has no API to send one, but
 * `openssl s_client` does (a line `K` = KeyUpdate with update_requested, so the server answers
 * with its own). The listener's observer must follow both ratchets.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventInput } from '../../../shared/events';
import { cipherSuiteByName, nextTrafficSecret, parseKeylogLine } from './key-schedule';
import { createRecordObserver } from './record-observer';
import { Tap } from './tap';
import { appPlaintext, collect, handshakeNames, makeCerts, once, recordsOf, type Certs } from './test-kit';
import { UNGATED } from './disclosure';

let certs: Certs;
const events: EventInput[] = [];
const keylog: string[] = [];
let child: ChildProcessWithoutNullStreams;
let serverSocket: tls.TLSSocket;
let netServer: net.Server;

/** Resolve when the observer has emitted an event matching `test`. */
function eventually(test: (e: EventInput) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (events.some(test) ? resolve() : setImmediate(poll));
    poll();
  });
}

beforeAll(async () => {
  certs = makeCerts();
  const tlsServer = tls.createServer({ key: certs.key, cert: certs.cert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  const observer = createRecordObserver({ role: 'listener', conn: 'L', emit: (e) => events.push(e), disclosure: UNGATED });
  tlsServer.on('keylog', (line: Buffer) => (keylog.push(line.toString()), observer.onKeylog(line)));
  netServer = net.createServer((sock) => {
    const tap = new Tap(sock);
    tap.onBytes = (dir, chunk) => observer.onBytes(dir, chunk);
    tlsServer.emit('connection', tap);
  });
  await new Promise<void>((resolve) => netServer.listen(0, '127.0.0.1', resolve));
  const port = (netServer.address() as net.AddressInfo).port;
  const secure = once(tlsServer, 'secureConnection');
  // No -ign_eof: in OpenSSL 3.0 it also turns the command letters off. stdin stays open instead.
  child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_3', '-cert', certs.certPath, '-key', certs.keyPath]);
  child.stdout.resume();
  child.stderr.resume();
  serverSocket = (await secure) as tls.TLSSocket;
});

afterAll(async () => {
  const exited = once(child, 'exit');
  child.kill();
  await exited;
  await new Promise<void>((resolve) => netServer.close(() => resolve()));
  certs.cleanup();
});

it('keeps decrypting what s_client sends after a KeyUpdate, and the server answer too', async () => {
  child.stdin.write('hello\n');
  await collect(serverSocket, 6);
  // Wait for the KeyUpdate record itself (decrypted or not), so `after` is a separate read for s_client.
  const lastIn = recordsOf(events, 'in').at(-1)!.index;
  child.stdin.write('K\n');
  await eventually((e) => e.kind === 'tls.record' && e.dir === 'in' && e.detail.index > lastIn);
  const got = collect(serverSocket, 6);
  child.stdin.write('after\n');
  expect((await got).toString()).toBe('after\n');
  serverSocket.write('bye\n');
  // The first server record that is not handshake: `bye`, opened or not.
  await eventually((e) => e.kind === 'tls.record' && e.dir === 'out' && (e.detail.decrypted?.innerContentType === 'application_data' || !!e.detail.undecryptable));

  const incoming = recordsOf(events, 'in');
  expect(incoming.filter((r) => r.encrypted && !r.decrypted)).toEqual([]);
  expect(appPlaintext(incoming)).toBe('hello\nafter\n');
  expect(handshakeNames(incoming)).toContain('KeyUpdate');
  const after = incoming.at(-1)!;
  expect(after.decrypted).toMatchObject({ epoch: 'application', sequence: 0, plaintext: 'after\n' });

  const outgoing = recordsOf(events, 'out');
  expect(handshakeNames(outgoing)).toContain('KeyUpdate');
  expect(outgoing.at(-1)!.decrypted).toMatchObject({ sequence: 0, plaintext: 'bye\n' });
});

it('derives the same next secret that OpenSSL logs after the KeyUpdate', () => {
  const entries = keylog.map((l) => parseKeylogLine(l)!);
  const suite = cipherSuiteByName(serverSocket.getCipher().standardName)!;
  for (const who of ['CLIENT', 'SERVER']) {
    const first = entries.find((e) => e.label === `${who}_TRAFFIC_SECRET_0`)!;
    const next = entries.find((e) => e.label === `${who}_TRAFFIC_SECRET_N`);
    expect(next, `OpenSSL logged ${who}_TRAFFIC_SECRET_N`).toBeDefined();
    expect(Buffer.from(nextTrafficSecret(suite, first.secret)).toString('hex')).toBe(next!.secretHex);
  }
});
