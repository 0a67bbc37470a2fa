import { describe, expect, it } from 'vitest';

import { inSubnet, resolveInterface } from './mdns-socket';

describe('the discovery interface', () => {
  it('is an IPv4 address of this machine, with the subnet packets are accepted from', () => {
    const lo = resolveInterface('127.0.0.1');
    expect(lo).toMatchObject({ address: '127.0.0.1', nic: expect.any(String) });
    expect(inSubnet(lo, '127.0.0.1')).toBe(true);
    expect(inSubnet(lo, '127.200.0.9')).toBe(true);
    expect(inSubnet(lo, '192.168.1.20')).toBe(false);
    expect(inSubnet(lo, '::1')).toBe(false);
    expect(inSubnet(lo, 'not an address')).toBe(false);
  });

  it('has no default and refuses what names no single interface of this machine', () => {
    for (const value of [undefined, null, '', 'lo', '0.0.0.0', '224.0.0.251', '239.1.2.3', '255.255.255.255', '192.0.2.254', '::1', 127001]) {
      expect(() => resolveInterface(value), String(value)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    }
  });
});
