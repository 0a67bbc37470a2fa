/**
 * The store benchmark still runs: `npx tsx bench/store-bench.ts` with BENCH_QUICK=1 exits 0 and
 * prints every metric. No figure is judged here (a benchmark is not a test); only that each one
 * is there and is a number.
 */
import { describe, expect, it } from 'vitest';

import { runQuickBench } from '../helpers/bench-run';

const NUMBER = String.raw`[\d,]+(?:\.\d+)?`;

describe('bench/store-bench.ts (BENCH_QUICK=1)', () => {
  it('exits 0 and prints each metric with a figure', async () => {
    const { code, signal, stdout, stderr } = await runQuickBench('bench/store-bench.ts', 240_000);
    const context = `\nstdout:\n${stdout}\nstderr (tail):\n${stderr.slice(-3000)}`;
    expect({ code, signal }, `exit status${context}`).toEqual({ code: 0, signal: null });
    const metrics: Array<[string, RegExp]> = [
      ['send rate, sealed and raw, with the ratio', new RegExp(`^messages stored per second, send .*?${NUMBER}/s\\s+${NUMBER}/s\\s+${NUMBER}×$`, 'm')],
      ['receive rate, sealed and raw, with the ratio', new RegExp(`^messages stored per second, receive\\s.*?${NUMBER}/s\\s+${NUMBER}/s\\s+${NUMBER}×$`, 'm')],
      ['CPU time per message, send', new RegExp(`^CPU time per message stored, send\\s+${NUMBER} µs\\s+${NUMBER} µs\\s+${NUMBER}×$`, 'm')],
      ['CPU time per message, receive', new RegExp(`^CPU time per message stored, receive\\s+${NUMBER} µs\\s+${NUMBER} µs\\s+${NUMBER}×$`, 'm')],
      ['bytes per message, sealed and raw', new RegExp(`^bytes on disk per message\\s+${NUMBER} B\\s+${NUMBER} B\\s+${NUMBER}×$`, 'm')],
      ['bytes per message in the big conversation', new RegExp(`^bytes on disk per message, ${NUMBER} messages\\s+${NUMBER} B$`, 'm')],
      ['time to the first page', new RegExp(`^time to the first page \\(50 messages\\) of a conversation of ${NUMBER} messages`, 'm')],
      ['its median, against the 20 ms target', new RegExp(`open \\+ first page: ${NUMBER} ms — (meets|misses) the 20 ms target`)],
      ['where the open spends its time', new RegExp(`inside the open: openDatabase ${NUMBER} ms, hasSealedData ${NUMBER} ms`)],
    ];
    for (const [what, pattern] of metrics) expect(stdout, `${what}${context}`).toMatch(pattern);
    expect(stdout, 'not a number somewhere in the table').not.toMatch(/NaN|Infinity|n\/a/);
  }, 300_000);
});
