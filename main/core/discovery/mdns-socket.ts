/**
 * The one multicast socket discovery uses, fenced in. bonjour-service (through multicast-dns), left
 * to its defaults, joins the mDNS group on every interface and sends from whichever one the
 * routing table picks. Here the caller names one IPv4 address of this machine and:
 *  - the socket joins 224.0.0.251 on that interface only and sends only from it
 *    (IP_MULTICAST_IF is set before anything can be sent; if that fails, nothing is ever sent);
 *  - it sends only to 224.0.0.251:5353 — any other destination is refused;
 *  - it accepts packets only from the interface's own subnet (Linux hands a socket bound to
 *    0.0.0.0 the group's packets from every interface where anyone joined it);
 *  - our answers carry no address but that interface's (bonjour-service would list every
 *    address of the machine in its A/AAAA records).
 * Send errors, which multicast-dns and bonjour-service swallow, are reported through `onProblem`.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

import Bonjour from 'bonjour-service';

import { LockstepError } from '../errors';

export const MDNS_GROUP = '224.0.0.251';
export const MDNS_PORT = 5353;

/** A chosen interface: its address and the subnet packets are accepted from. */
export interface MulticastInterface {
  address: string;
  /** Interface name as the OS reports it (`lo`, `eth0`, `veth…`). */
  nic: string;
  network: number;
  mask: number;
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/**
 * Check the required `interface` option: an IPv4 address that one of this machine's interfaces
 * has. No default exists on purpose: discovery must never start on every interface by accident.
 */
export function resolveInterface(value: unknown): MulticastInterface {
  if (value === undefined || value === null || value === '') {
    throw new LockstepError(
      'BAD_ARGUMENT',
      'LAN discovery needs an interface: the IPv4 address of the network to use (e.g. 192.168.1.20, or 127.0.0.1 for this machine only). It never picks one by itself.',
    );
  }
  if (typeof value !== 'string' || !isIPv4(value)) {
    throw new LockstepError('BAD_ARGUMENT', `The discovery interface must be an IPv4 address such as 192.168.1.20, not ${JSON.stringify(String(value)).slice(0, 60)}.`);
  }
  const first = Number(value.split('.')[0]);
  if (value === '0.0.0.0' || value === '255.255.255.255' || (first >= 224 && first <= 239)) {
    throw new LockstepError('BAD_ARGUMENT', `${value} names no single interface: give the address of the network to use for discovery.`);
  }
  for (const [nic, list] of Object.entries(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family !== 'IPv4' || entry.address !== value) continue;
      const mask = ipv4ToInt(entry.netmask);
      return { address: value, nic, network: ipv4ToInt(value) & mask, mask };
    }
  }
  throw new LockstepError('BAD_ARGUMENT', `${value} is not an address of this machine: pick one of its network interfaces for discovery.`);
}

export function inSubnet(iface: MulticastInterface, address: string): boolean {
  return isIPv4(address) && ((ipv4ToInt(address) & iface.mask) >>> 0) === iface.network >>> 0;
}

/** The part of multicast-dns that bonjour-service keeps as `server.mdns` (not in its typings). */
export interface MdnsLike {
  on(event: 'response' | 'query', listener: (packet: MdnsPacket, rinfo: RemoteInfo) => void): unknown;
  on(event: 'error' | 'warning', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  respond: (res: unknown, rinfo?: unknown, cb?: unknown) => void;
}

export interface MdnsRecord {
  name: string;
  type: string;
  ttl?: number;
  data?: unknown;
}

export interface MdnsPacket {
  answers?: MdnsRecord[];
  additionals?: MdnsRecord[];
}

export interface FencedBonjour {
  bonjour: Bonjour;
  mdns: MdnsLike;
  iface: MulticastInterface;
  /** Resolves once the socket is closed (after `destroy`), never rejects. */
  closed: Promise<void>;
  /** Unpublish nothing, just close: the caller sends goodbyes first. Resolves after the socket closed. */
  destroy(): Promise<void>;
}

export interface FenceOptions {
  /** A send refused or failed, a membership that failed, the socket's errors. */
  onProblem?: (code: string, message: string) => void;
}

type SendCallback = (error: Error | null, bytes?: number) => void;

function guardSocket(socket: Socket, iface: MulticastInterface, report: (code: string, message: string) => void): void {
  let ready = false;
  // Registered before multicast-dns sees the socket, so it runs before multicast-dns's own
  // 'listening' handler and before any queued send.
  socket.once('listening', () => {
    try {
      socket.setMulticastInterface(iface.address);
      ready = true;
    } catch (err) {
      report('MULTICAST_INTERFACE', `Could not send multicast from ${iface.address}: ${(err as Error).message}. Discovery sends nothing.`);
    }
  });

  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  socket.send = ((...args: unknown[]) => {
    const last = args[args.length - 1];
    const callback: SendCallback = typeof last === 'function' ? (last as SendCallback) : () => undefined;
    // Both forms: send(msg, offset, length, port, address, cb) and send(msg, port, address, cb).
    const offsetForm = typeof args[1] === 'number' && typeof args[2] === 'number';
    const port = offsetForm ? args[3] : args[1];
    const address = offsetForm ? args[4] : args[2];
    const refuse = (why: string) => {
      report('SEND_REFUSED', why);
      process.nextTick(() => callback(new LockstepError('BAD_ARGUMENT', why)));
    };
    if (!ready) return refuse(`mDNS send refused: the socket is not fenced to ${iface.address} (yet).`);
    if (port !== MDNS_PORT || address !== MDNS_GROUP) {
      return refuse(`mDNS send to ${String(address)}:${String(port)} refused: discovery sends only to ${MDNS_GROUP}:${MDNS_PORT}.`);
    }
    const wrapped: SendCallback = (error, bytes) => {
      if (error) report('SEND_FAILED', `mDNS send from ${iface.address} failed: ${error.message}`);
      callback(error, bytes);
    };
    const rest = typeof last === 'function' ? args.slice(0, -1) : args;
    try {
      send(...rest, wrapped);
    } catch (err) {
      // The socket was closed under a queued send: report it, never throw into multicast-dns.
      report('SEND_FAILED', `mDNS send failed: ${(err as Error).message}`);
      process.nextTick(() => callback(err as Error));
    }
  }) as typeof socket.send;

  // Drop packets from outside the interface's subnet before multicast-dns decodes them.
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'message') {
      const rinfo = args[1] as RemoteInfo | undefined;
      if (!rinfo || !inSubnet(iface, rinfo.address)) return false;
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
}

/** Keep only A records for our interface's address; no AAAA at all (we advertise IPv4 only). */
function fenceRecords(records: unknown, address: string): unknown {
  if (!Array.isArray(records)) return records;
  return records.filter((record: MdnsRecord) => {
    if (record?.type === 'AAAA') return false;
    if (record?.type === 'A') return record.data === address;
    return true;
  });
}

/**
 * A bonjour-service instance whose one socket is fenced to `iface` (see the top of this file).
 * The socket binds 0.0.0.0:5353 (binding the interface's unicast address would filter out the
 * multicast packets themselves) with SO_REUSEADDR, so several processes can share the port.
 */
export function openFencedBonjour(iface: MulticastInterface, options: FenceOptions = {}): FencedBonjour {
  const report = options.onProblem ?? (() => undefined);
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  guardSocket(socket, iface, report);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  // These are multicast-dns options, which bonjour-service passes through untouched; its typings
  // call them ServiceConfig. `interface` is what keeps it off every other network.
  const mdnsOptions = {
    socket,
    interface: iface.address,
    bind: '0.0.0.0',
    port: MDNS_PORT,
    ip: MDNS_GROUP,
    type: 'udp4',
    multicast: true,
    loopback: true,
    ttl: 255,
  };
  // errorCallback: bonjour-service's default throws from inside a socket callback.
  const bonjour = new Bonjour(mdnsOptions as unknown as ConstructorParameters<typeof Bonjour>[0], (err: Error) =>
    report('MDNS_ERROR', err.message),
  );
  const mdns = (bonjour as unknown as { server?: { mdns?: MdnsLike } }).server?.mdns;
  if (!mdns || typeof mdns.respond !== 'function' || typeof mdns.on !== 'function') {
    bonjour.destroy();
    throw new LockstepError('INTERNAL', 'bonjour-service changed shape: its multicast-dns instance is not where discovery expects it.');
  }
  // multicast-dns re-emits EACCES/EADDRINUSE as 'error' and everything else as 'warning'; an
  // 'error' without a listener would crash the process.
  mdns.on('error', (err: Error) => report((err as NodeJS.ErrnoException).code ?? 'MDNS_ERROR', `mDNS socket: ${err.message}`));
  mdns.on('warning', (err: Error) => report((err as NodeJS.ErrnoException).code ?? 'MDNS_WARNING', `mDNS: ${err.message}`));

  const respond = mdns.respond.bind(mdns);
  mdns.respond = (res: unknown, rinfo?: unknown, cb?: unknown) => {
    if (Array.isArray(res)) res = fenceRecords(res, iface.address);
    else if (res && typeof res === 'object') {
      const packet = res as { answers?: unknown; additionals?: unknown };
      res = { ...packet, answers: fenceRecords(packet.answers, iface.address), additionals: fenceRecords(packet.additionals, iface.address) };
    }
    respond(res, rinfo, cb);
  };

  let destroying: Promise<void> | null = null;
  const destroy = () => {
    destroying ??= new Promise<void>((resolve) => {
      try {
        bonjour.destroy(() => resolve());
      } catch {
        // Already closed (e.g. after a bind error): the 'close' event has fired or will not.
        resolve();
      }
    })
      .then(() => Promise.race([closed, new Promise<void>((r) => setTimeout(r, 1_000).unref())]))
      // 'close' is emitted when the handle's close has been requested; libuv releases it in the
      // loop's close phase. One timer turn later the socket is gone from the process.
      .then(() => new Promise<void>((r) => setTimeout(r, 0)));
    return destroying;
  };
  return { bonjour, mdns, iface, closed, destroy };
}
