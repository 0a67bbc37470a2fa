import { writeFileSync } from 'node:fs';

import type { Reporter, TestModule } from 'vitest/node';

/**
 * Counts every test's final state and writes the totals to the file named by
 * LOCKSTEP_PLAIN_REPORT, so scripts/test.mjs can close the run with the plain
 * `N passed, N failed, N skipped` line. A module that failed to load counts as a failure.
 */
export default class PlainReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed += 1;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const file = process.env.LOCKSTEP_PLAIN_REPORT;
    if (file) writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
  }
}
