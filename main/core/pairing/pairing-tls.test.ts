/**
 * Pairing over real Node TLS 1.3 connections: mutual authentication with self-signed P-256
 * certificates made by openssl, no pins yet (`rejectUnauthorized: false`), the frames as
 * newline-delimited JSON, and the real `exportKeyingMaterial` on both ends as the sid.
 * A relay (Eve) terminates TLS on both legs with her own certificate and forwards every line.
 */
import { execFileSync } from 'node:child_process';
import { type X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pinOfCertificate } from '../trust/pins';
import {
  createPairing,
  PAIRING_EXPORTER_BYTES,
  PAIRING_EXPORTER_LABEL,
  pairingExporter,
  type PairingResult,
  type PairingRole,
} from './pairing-protocol';

interface Identity {
  key: Buffer;
  cert: Buffer;
}

let dir: string;
const ids: Record<'alice' | 'bob' | 'eve', Identity> = {} as never;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockstep-pairing-'));
  for (const name of ['alice', 'bob', 'eve'] as const) {
    const keyPath = join(dir, `${name}.key`);
    const certPath = join(dir, `${name}.crt`);
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', keyPath, '-out', certPath],
      { stdio: 'pipe' },
    );
    ids[name] = { key: readFileSync(keyPath), cert: readFileSync(certPath) };
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TLS_COMMON = { minVersion: 'TLSv1.3', rejectUnauthorized: false, ALPNProtocols: ['lockstep/1'] } as const;

/** Newline-delimited JSON over a socket: calls `onLine` for each complete line. */
function lines(socket: tls.TLSSocket, onLine: (line: string) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) onLine(line);
    }
  });
}

const send = (socket: tls.TLSSocket, frames: unknown[]) => {
  for (const f of frames) socket.write(`${JSON.stringify(f)}\n`);
};

interface Seen {
  result: PairingResult;
  ownPin: string;
  peerPin: string;
  exporter: string;
}

/** Runs one pairing attempt on an established TLS socket; resolves with its outcome. */
function pairOver(socket: tls.TLSSocket, role: PairingRole, code: string): Promise<Seen> {
  const ownPin = pinOfCertificate(socket.getX509Certificate() as X509Certificate);
  const peerPin = pinOfCertificate(socket.getPeerX509Certificate() as X509Certificate);
  const exporter = pairingExporter(socket);
  // RFC 8446 §7.5: in TLS 1.3 an empty context and no context export the same value.
  const noContext = (socket.exportKeyingMaterial as (n: number, label: string) => Buffer).call(socket, PAIRING_EXPORTER_BYTES, PAIRING_EXPORTER_LABEL);
  expect(Buffer.from(exporter).equals(noContext)).toBe(true);
  const pairing = createPairing({ role, code, ownPin, peerPin, exporter });
  return new Promise((resolve) => {
    const finish = (result: PairingResult) => {
      socket.end();
      resolve({ result, ownPin, peerPin, exporter: Buffer.from(exporter).toString('hex') });
    };
    lines(socket, (line) => {
      let frame: unknown;
      try {
        frame = JSON.parse(line);
      } catch {
        frame = line; // not JSON: the state machine fails it
      }
      const step = pairing.receive(frame);
      send(socket, step.send);
      if (step.done) finish(step.done);
    });
    socket.on('close', () => {
      if (!pairing.result) finish(pairing.abort().done!);
    });
    socket.on('error', () => socket.destroy());
    send(socket, pairing.start());
  });
}

function listen(id: Identity, onSocket: (socket: tls.TLSSocket) => void): Promise<tls.Server> {
  const server = tls.createServer({ ...TLS_COMMON, key: id.key, cert: id.cert, requestCert: true }, onSocket);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function dial(id: Identity, port: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...TLS_COMMON, host: '127.0.0.1', port, key: id.key, cert: id.cert }, () => resolve(socket));
    socket.once('error', reject);
  });
}

async function direct(dialerCode: string, listenerCode: string) {
  let listenerSide!: Promise<Seen>;
  const server = await listen(ids.bob, (socket) => {
    listenerSide = pairOver(socket, 'listener', listenerCode);
  });
  try {
    const socket = await dial(ids.alice, (server.address() as AddressInfo).port);
    expect(socket.getProtocol()).toBe('TLSv1.3');
    const dialer = await pairOver(socket, 'dialer', dialerCode);
    return { dialer, listener: await listenerSide };
  } finally {
    server.close();
  }
}

describe('pairing over a real TLS 1.3 connection', () => {
  it('with the right code: both sides succeed and pin each other', async () => {
    const { dialer, listener } = await direct('orbit maple tunnel', 'Orbit-Maple-Tunnel');
    expect(dialer.exporter).toBe(listener.exporter); // one connection, one exporter value
    expect(dialer.result).toEqual({ ok: true, peerPin: listener.ownPin });
    expect(listener.result).toEqual({ ok: true, peerPin: dialer.ownPin });
    expect(dialer.ownPin).not.toBe(listener.ownPin);
  });

  it('with a wrong code: both sides fail', async () => {
    const { dialer, listener } = await direct('orbit maple tunnel', 'orbit maple turtle');
    expect(dialer.result).toMatchObject({ ok: false, code: 'PAIRING_FAILED' });
    expect(listener.result).toEqual({ ok: false, code: 'PAIRING_FAILED', reason: 'confirmation-failed' });
  });

  it('through a relay with its own certificate, forwarding every line: both sides fail', async () => {
    let bobSide!: Promise<Seen>;
    const bob = await listen(ids.bob, (socket) => {
      bobSide = pairOver(socket, 'listener', 'orbit maple tunnel');
    });
    const bobPort = (bob.address() as AddressInfo).port;
    // Eve: a TLS server for Alice and a TLS client to Bob, both with Eve's certificate.
    const eve = await listen(ids.eve, (fromAlice) => {
      void dial(ids.eve, bobPort).then((toBob) => {
        lines(fromAlice, (line) => toBob.write(`${line}\n`));
        lines(toBob, (line) => fromAlice.write(`${line}\n`));
        fromAlice.on('close', () => toBob.end());
        toBob.on('close', () => fromAlice.end());
        fromAlice.on('error', () => fromAlice.destroy());
        toBob.on('error', () => toBob.destroy());
      });
    });
    try {
      const socket = await dial(ids.alice, (eve.address() as AddressInfo).port);
      const alice = await pairOver(socket, 'dialer', 'orbit maple tunnel');
      const bobSeen = await bobSide;
      // Each leg saw Eve's certificate and had its own exporter value.
      expect(alice.peerPin).toBe(bobSeen.peerPin);
      expect(alice.exporter).not.toBe(bobSeen.exporter);
      expect(alice.result).toMatchObject({ ok: false, code: 'PAIRING_FAILED' });
      expect(bobSeen.result).toMatchObject({ ok: false, code: 'PAIRING_FAILED' });
    } finally {
      eve.close();
      bob.close();
    }
  });
});
