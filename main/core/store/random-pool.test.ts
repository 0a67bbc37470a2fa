import { describe, expect, it } from 'vitest';

import { pooledRandom } from './random-pool';

describe('the random pool', () => {
  it('hands out bytes that are never repeated, across refills, in the sizes asked for', () => {
    const seen = new Set<string>();
    // 24-byte nonces over several 4 KiB refills: a byte handed out twice would repeat a nonce.
    for (let i = 0; i < 2_000; i += 1) {
      const nonce = pooledRandom(24);
      expect(nonce).toHaveLength(24);
      seen.add(Buffer.from(nonce).toString('hex'));
    }
    expect(seen.size).toBe(2_000);
    expect(pooledRandom(5000)).toHaveLength(5000); // larger than the pool: drawn on its own
  });

  it('gives each caller its own copy: changing one value changes no other', () => {
    const a = pooledRandom(16);
    const copy = Buffer.from(a);
    const b = pooledRandom(16);
    b.fill(0);
    expect(Buffer.from(a)).toEqual(copy);
  });
});
