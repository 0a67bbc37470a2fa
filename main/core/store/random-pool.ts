/**
 * Random bytes for the per-message path (a message's id, a row's sealing nonce), drawn from a
 * pool filled 4 KiB at a time. Each fill is one getrandom() system call, and one call per value
 * cost more here (about 2 µs) than what the value is then used for; Node keeps randomness for
 * randomUUID() the same way. Every byte is handed out once and wiped from the pool as it goes.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/** `n` fresh random bytes (n ≤ 4096), never given out before. */
export function pooledRandom(n: number): Uint8Array {
  if (n > POOL_BYTES) return randomFillSync(new Uint8Array(n));
  if (used + n > pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const out = pool.slice(used, used + n);
  pool.fill(0, used, used + n);
  used += n;
  return out;
}
