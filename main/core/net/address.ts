/** HOST:PORT as users type it: `10.0.0.2:47474`, `alice.local:47474`, `[fe80::1]:47474`. */
import { networkInterfaces } from 'node:os';

import { LockstepError } from '../errors';

export const DEFAULT_PORT = 47474;

export interface HostPort {
  host: string;
  port: number;
}

export function parseAddress(text: string): HostPort {
  const trimmed = text.trim();
  const match = /^\[([0-9a-fA-F:.%\w]+)\]:(\d{1,5})$/.exec(trimmed) ?? /^([^\s:[\]/]+):(\d{1,5})$/.exec(trimmed);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new LockstepError('BAD_ADDRESS', `"${trimmed.slice(0, 80)}" is not an address: use HOST:PORT, e.g. 192.168.1.20:${DEFAULT_PORT}.`);
  }
  return { host: match[1]!, port };
}

export function formatAddress({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Addresses another machine could dial, most useful first: LAN IPv4, then IPv6, then loopback. */
export function reachableAddresses(boundHost: string): string[] {
  if (boundHost !== '0.0.0.0' && boundHost !== '::') return [boundHost];
  const found: { address: string; rank: number }[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const nic of list ?? []) {
      if (nic.family === 'IPv6' && nic.address.startsWith('fe80')) continue;
      const rank = nic.internal ? 3 : nic.family === 'IPv4' ? 1 : 2;
      if (boundHost === '0.0.0.0' && nic.family !== 'IPv4') continue;
      found.push({ address: nic.address, rank });
    }
  }
  return found.sort((a, b) => a.rank - b.rank).map((f) => f.address);
}
