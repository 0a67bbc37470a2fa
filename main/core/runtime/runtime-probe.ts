/**
 * The runtime probe: three real TLS handshakes over loopback, with a throwaway certificate of the
 * identity's kind and the engine's own settings (TLS 1.3 only, a client certificate required),
 * run once per process and shared by every engine in it:
 *
 *   A. both sides restricted to TLS_CHACHA20_POLY1305_SHA256: shared signature algorithms on both
 *      sides, the keylog's traffic secrets on both sides, one exporter value on both sides;
 *   B. both sides restricted to TLS_AES_128_GCM_SHA256: with A, whether the restriction is
 *      honoured (a library with a built-in TLS 1.3 order picks the same suite for both, so at
 *      most one of the two can match);
 *   C. a TLS 1.2-only client: whether its error's code names the protocol_version alert.
 *
 * A probe that cannot run at all reports every feature missing (the engine then still chats and
 * checks pins, and the panel says what it cannot show), with the reason in `problem`.
 */
import type { AddressInfo } from 'node:net';
import { connect, type ConnectionOptions, createServer, type TlsOptions, type TLSSocket } from 'node:tls';

import { errorCode } from '../errors';
import { makeCertificate } from '../identity/identity';
import { alertFromCode } from '../net/tls-errors';
import type { RuntimeFeatures } from './runtime-features';

export interface RuntimeProbe {
  features: RuntimeFeatures;
  /** Why the probe could not run (a stable code), or null. */
  problem: string | null;
}

const LABEL = 'EXPORTER-lockstep-runtime-probe';
const TIMEOUT_MS = 10_000;
const SECRETS = ['CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'];

interface Side {
  sigalgs: string[];
  keylog: Set<string>;
  exporter: string | null;
  cipher: string | null;
}

interface Outcome {
  client: Side;
  server: Side;
  clientError: string | null;
}

let probing: Promise<RuntimeProbe> | null = null;

/** The probe of this process (run on first use, then remembered). */
export function probeRuntime(): Promise<RuntimeProbe> {
  probing ??= runProbe();
  return probing;
}

async function runProbe(): Promise<RuntimeProbe> {
  try {
    const creds = await makeCertificate('lockstep runtime probe');
    const base = { key: creds.keyPem, cert: creds.certPem, minVersion: 'TLSv1.3' as const, rejectUnauthorized: false };
    const only = (ciphers: string) => handshake({ ...base, ciphers, requestCert: true }, { ...base, ciphers });
    const [a, b, c] = await Promise.all([
      only('TLS_CHACHA20_POLY1305_SHA256'),
      only('TLS_AES_128_GCM_SHA256'),
      handshake({ ...base, requestCert: true }, { ...base, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }),
    ]);
    const features: RuntimeFeatures = {
      signatureAlgorithms: a.client.sigalgs.length > 0 && a.server.sigalgs.length > 0,
      cipherSelection: a.client.cipher === 'TLS_CHACHA20_POLY1305_SHA256' && b.client.cipher === 'TLS_AES_128_GCM_SHA256',
      keylog: SECRETS.every((label) => a.client.keylog.has(label) && a.server.keylog.has(label)),
      exporter: a.client.exporter !== null && a.client.exporter === a.server.exporter,
      alertCodes: c.clientError !== null && alertFromCode(c.clientError) === 'protocol_version',
    };
    return { features, problem: null };
  } catch (err) {
    const none = { signatureAlgorithms: false, cipherSelection: false, keylog: false, exporter: false, alertCodes: false };
    return { features: none, problem: errorCode(err) };
  }
}

const blank = (): Side => ({ sigalgs: [], keylog: new Set(), exporter: null, cipher: null });

/** What one side of a finished handshake reports; each getter may be missing or throw on some runtime. */
function read(socket: TLSSocket, side: Side): void {
  side.cipher = socket.getCipher()?.standardName ?? null;
  side.sigalgs = attempt(() => socket.getSharedSigalgs()) ?? [];
  side.exporter = attempt(() => socket.exportKeyingMaterial(32, LABEL, Buffer.alloc(0)).toString('hex')) ?? null;
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * One loopback handshake. Resolves once the client has closed (after the server's one
 * application byte, so every keylog line has fired), or with the client's error code.
 */
function handshake(serverOptions: TlsOptions, clientOptions: ConnectionOptions): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const out: Outcome = { client: blank(), server: blank(), clientError: null };
    const server = createServer(serverOptions, (socket) => {
      read(socket, out.server);
      socket.end('!');
    });
    let client: TLSSocket | null = null;
    const timer = setTimeout(() => {
      client?.destroy();
      server.close();
      reject(Object.assign(new Error('The runtime probe handshake did not finish.'), { code: 'PROBE_TIMEOUT' }));
    }, TIMEOUT_MS);
    server.on('keylog', (line: Buffer) => out.server.keylog.add(line.toString('latin1').split(' ')[0]!));
    server.on('tlsClientError', () => undefined); // handshake C: the client's side is the one judged
    server.once('error', (err) => (clearTimeout(timer), reject(err)));
    server.listen(0, '127.0.0.1', () => {
      const socket = connect({ ...clientOptions, host: '127.0.0.1', port: (server.address() as AddressInfo).port });
      client = socket;
      socket.on('keylog', (line) => out.client.keylog.add(line.toString('latin1').split(' ')[0]!));
      socket.once('secureConnect', () => read(socket, out.client));
      socket.on('data', () => socket.end());
      socket.on('error', (err) => (out.clientError = errorCode(err)));
      socket.once('close', () => {
        clearTimeout(timer);
        server.close();
        resolve(out);
      });
    });
  });
}
