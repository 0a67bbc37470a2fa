import { createSecureContext } from 'node:tls';

import { describe, expect, it } from 'vitest';

import { defaultOffer, ecdhCurveFor, KNOWN_GROUPS, parseGroups, runtimeGroups } from './key-exchange-groups';

describe('key-exchange groups', () => {
  it('probes the TLS library: every group it reports is one a secure context accepts, in Lockstep’s order', () => {
    const groups = runtimeGroups();
    expect(groups.length).toBeGreaterThan(0);
    expect(KNOWN_GROUPS.filter((g) => groups.includes(g))).toEqual(groups);
    for (const g of groups) expect(() => createSecureContext({ ecdhCurve: g })).not.toThrow();
    expect(() => createSecureContext({ ecdhCurve: 'X25519MLKEM512-not-a-group' })).toThrow();
  });

  it('the default offer puts the hybrid first and marks two key shares where the library reads the marks', () => {
    expect(defaultOffer()[0]).toBe('X25519MLKEM768');
    const curve = ecdhCurveFor(defaultOffer());
    expect(curve).toMatch(/^\*?X25519MLKEM768:\*?X25519:P-256$/);
    expect(() => createSecureContext({ ecdhCurve: curve })).not.toThrow();
    // A single group needs no mark.
    expect(ecdhCurveFor(['X25519'])).toBe('X25519');
  });

  it('--groups: names in any case, commas or colons, each once; unknown names are a BAD_ARGUMENT', () => {
    expect(parseGroups('x25519, p-256:X25519')).toEqual(['X25519', 'P-256']);
    expect(() => parseGroups('X25519,Kyber512')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringContaining('"Kyber512"') }));
    expect(() => parseGroups(' , ')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
