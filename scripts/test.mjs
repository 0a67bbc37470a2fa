// `npm test`: typecheck, lint, build what the browser suite loads, then every Vitest project.
// Closes with the plain line `N passed, N failed, N skipped` (typecheck and lint count as one
// check each), and exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };

function step(name, cmd, args, env = {}) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) totals.passed += 1;
  else {
    totals.failed += 1;
    console.log(`FAILED: ${name}`);
  }
}

check('typecheck (engine, shell, tests)', 'npx', ['tsc', '-p', 'tsconfig.json']);
check('typecheck (renderer)', 'npx', ['tsc', '-p', 'renderer/tsconfig.json']);
check('lint', 'npx', ['eslint', '.']);
const built = step('build', 'npm', ['run', 'build', '--silent']);
if (!built) {
  totals.failed += 1;
  console.log('FAILED: build');
}

const report = join(mkdtempSync(join(tmpdir(), 'lockstep-test-')), 'totals.json');
const projects = built ? [] : ['--project', 'node', '--project', 'dom'];
step('vitest', 'npx', ['vitest', 'run', ...projects], { LOCKSTEP_PLAIN_REPORT: report, NO_COLOR: '1' });
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped;
} catch {
  totals.failed += 1;
  console.log('FAILED: vitest did not report its totals (it crashed before the end of the run)');
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
