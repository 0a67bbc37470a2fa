/**
 * The attacker's tools for the attack suite: throwaway keys with any name in their certificate,
 * and raw TLS 1.3 clients and servers that speak the wire protocol by hand (or not at all), so a
 * test can do exactly what a hostile peer would — against the real engine, over real sockets.
 */
import net from 'node:net';
import tls from 'node:tls';

import { createIdentity } from '../../main/core/identity/identity';
import type { Lab } from '../helpers/profiles';
import { LineClient } from '../helpers/raw-client';
import { onceEvent } from '../helpers/wait';

export interface Throwaway {
  name: string;
  pin: string;
  key: Buffer;
  cert: Buffer;
  /** The profile folder the key lives in (open it with `lab.open` to run an engine as this key). */
  dir: string;
}

/** A fresh key and self-signed certificate claiming `name` (as cheap as an attacker's loop makes them). */
export async function throwaway(lab: Lab, name: string): Promise<Throwaway> {
  const dir = lab.tempDir('lockstep-attacker-');
  const id = await createIdentity(dir, name);
  return { name, pin: id.pin, key: Buffer.from(id.keyPem), cert: Buffer.from(id.certPem), dir };
}

/** Dial a listener as `who` (optionally from another loopback address, e.g. 127.0.0.2). */
export function knock(address: string, who: Throwaway, from?: string): Promise<LineClient> {
  return LineClient.connect(address, { key: who.key, cert: who.cert, ...(from ? { localAddress: from } : {}) });
}

/** A hello frame as a Lockstep peer (or an impostor) sends it first. */
export function hello(name: string): object {
  return { type: 'hello', v: 1, name, caps: [] };
}

/**
 * A listener that answers with its own certificate and, the moment the handshake is done, writes
 * `lines` (TLS 1.3 lets a server send before it has read anything from the client).
 */
export async function hostileListener(who: Throwaway, lines: string[]): Promise<{ address: string; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ key: who.key, cert: who.cert, minVersion: 'TLSv1.3', ALPNProtocols: ['lockstep/1'], requestCert: true, rejectUnauthorized: false }, (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.resume(); // read (and ignore) whatever comes, so the dialer's goodbye is seen
    for (const line of lines) socket.write(`${line}\n`);
  });
  server.listen(0, '127.0.0.1');
  await onceEvent(server, 'listening', 'the hostile listener to listen');
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP connection from `from` that sends nothing, and notes when the listener drops it. */
export async function rawTcpFrom(address: string, from: string): Promise<{ socket: net.Socket; closed: () => boolean }> {
  const [host, port] = address.split(':') as [string, string];
  const socket = net.connect({ host, port: Number(port), localAddress: from });
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await onceEvent(socket, 'connect', `TCP connect to ${address} from ${from}`);
  return { socket, closed: () => closed };
}
