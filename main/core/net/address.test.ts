import { networkInterfaces } from 'node:os';

import { describe, expect, it } from 'vitest';

import { DEFAULT_PORT, formatAddress, parseAddress, reachableAddresses } from './address';

describe('parseAddress', () => {
  it.each([
    ['10.0.0.2:47474', { host: '10.0.0.2', port: 47474 }],
    ['  alice.local:1  ', { host: 'alice.local', port: 1 }],
    ['localhost:65535', { host: 'localhost', port: 65535 }],
    ['[::1]:47474', { host: '::1', port: 47474 }],
    ['[fe80::1%eth0]:80', { host: 'fe80::1%eth0', port: 80 }],
    ['[2001:db8::2]:4000', { host: '2001:db8::2', port: 4000 }],
  ])('reads %j', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it.each([
    ['no port', '10.0.0.2'],
    ['empty port', '10.0.0.2:'],
    ['port 0', '10.0.0.2:0'],
    ['port 65536', '10.0.0.2:65536'],
    ['port 6 digits', 'host:100000'],
    ['bare IPv6', '::1:47474'],
    ['IPv6 without port', '[::1]'],
    ['a URL', 'http://host:80'],
    ['a path', 'host/x:80'],
    ['spaces inside', 'my host:80'],
    ['empty', ''],
  ])('refuses %s with BAD_ADDRESS', (_label, text) => {
    expect(() => parseAddress(text)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
  });

  it('has a default port that parses', () => {
    expect(parseAddress(`h:${DEFAULT_PORT}`).port).toBe(DEFAULT_PORT);
  });
});

describe('formatAddress', () => {
  it('brackets IPv6 hosts only, and round-trips with parseAddress', () => {
    expect(formatAddress({ host: '::1', port: 9 })).toBe('[::1]:9');
    expect(formatAddress({ host: '10.1.2.3', port: 9 })).toBe('10.1.2.3:9');
    for (const text of ['[2001:db8::2]:4000', 'alice.local:47474', '127.0.0.1:1']) {
      expect(formatAddress(parseAddress(text))).toBe(text);
    }
  });
});

describe('reachableAddresses', () => {
  it('returns a specific bound host as is', () => {
    expect(reachableAddresses('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(reachableAddresses('192.168.7.7')).toEqual(['192.168.7.7']);
  });

  it('for 0.0.0.0 lists this machine\'s IPv4 addresses, external ones before loopback', () => {
    const nics = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((n) => n.family === 'IPv4');
    const got = reachableAddresses('0.0.0.0');
    expect([...got].sort()).toEqual(nics.map((n) => n.address).sort());
    const firstInternal = got.findIndex((a) => nics.find((n) => n.address === a)?.internal);
    if (firstInternal >= 0) {
      for (const a of got.slice(firstInternal)) expect(nics.find((n) => n.address === a)?.internal).toBe(true);
    }
  });

  it('for :: adds IPv6 addresses but never link-local ones', () => {
    const got = reachableAddresses('::');
    expect(got.some((a) => a.toLowerCase().startsWith('fe80'))).toBe(false);
    const ipv4 = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((n) => n.family === 'IPv4').map((n) => n.address);
    for (const a of ipv4) expect(got).toContain(a);
  });
});
