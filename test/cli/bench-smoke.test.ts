/**
 * `npm run bench` in its quick form (BENCH_QUICK=1): it runs to the end and prints a table row
 * for every metric. No timing is asserted — the benchmark reports numbers, tests do not judge them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROOT } from '../helpers/cli-peer';

function runQuickBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, BENCH_QUICK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the quick benchmark did not finish in 280 s.\nstdout:\n${stdout}\nstderr (tail):\n${stderr.slice(-3000)}`));
    }, 280_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the benchmark (BENCH_QUICK smoke run)', () => {
  it('exits 0 and prints a table row for each metric', async () => {
    const run = await runQuickBench();
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
  }, 300_000);
});
