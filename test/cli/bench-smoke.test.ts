/**
 * `npm run bench` in its quick form (BENCH_QUICK=1): it runs to the end and prints a table row
 * for every metric. No timing is asserted — the benchmark reports numbers, tests do not judge them.
 */
import { describe, expect, it } from 'vitest';

import { runQuickBench } from '../helpers/bench-run';

describe('the benchmark (BENCH_QUICK smoke run)', () => {
  it('exits 0 and prints a table row for each metric', async () => {
    const run = await runQuickBench('bench/main.ts', 280_000);
    expect(run.code, `exit code; stderr:\n${run.stderr.slice(-3000)}`).toBe(0);
    const rows = run.stdout.split('\n');
    const header = rows.find((r) => r.startsWith('metric'));
    expect(header).toMatch(/baseline.*\|.*Lockstep.*\|.*ratio.*\|.*target/);
    for (const metric of [/^\(a\) secure \+ pin-checked/, /^\(b\) ready/, /^\(c\) msg→ack round trip p50/, /^\(c\) msg→ack round trip p99/, /^\(d\) one-way messages per second/, /^\(e\) RSS growth/]) {
      const row = rows.find((r) => metric.test(r));
      expect(row, `a row matching ${metric}\n${run.stdout}`).toBeDefined();
      // metric | baseline | Lockstep | ratio | target…: every cell filled, no failed measurement.
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells.length).toBeGreaterThanOrEqual(5);
      expect(cells.slice(1, 3).every((c) => c !== '' && c !== 'failed' && c !== 'n/a'), row).toBe(true);
    }
    // (e): the second half's growth is a slope through RSS readings, each listed.
    expect(run.stdout).toMatch(/- \(e\) Lockstep: .*least-squares slope of 11 readings after GC: (\d[^,)]*, ){10}\d/);
    // The key-exchange table: hybrid against classical, every cell measured.
    for (const metric of [/^ClientHello /, /^ServerHello /, /^TLS handshake \(tls\.secure\)/]) {
      const row = rows.find((r) => metric.test(r));
      expect(row, `a row matching ${metric}\n${run.stdout}`).toBeDefined();
      expect(row!.split('|').slice(1, 4).every((c) => /\d/.test(c)), row).toBe(true);
    }
    expect(rows.find((r) => r.startsWith('handshake '))).toMatch(/hybrid \(X25519MLKEM768\).*classical \(X25519\)/);
    // The two-process table: each contender's connect and round trip measured across processes.
    for (const contender of [/^raw TLS /, /^floor /, /^Lockstep, no observer /, /^Lockstep, records decrypted inline /, /^Lockstep \(the app\) /]) {
      const row = rows.find((r) => contender.test(r) && r.split('|').length === 6);
      expect(row, `a two-process row matching ${contender}\n${run.stdout}`).toBeDefined();
      // The round trip and its ratios always; the connect for all but the floor (raw TLS's own).
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells.slice(3).every((c) => /\d/.test(c)), row).toBe(true);
      if (!contender.test('floor ')) expect(cells.slice(1, 3).every((c) => /\d/.test(c)), row).toBe(true);
    }
  }, 300_000);
});
