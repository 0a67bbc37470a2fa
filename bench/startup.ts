/**
 * The headless peer's start-up: `id` on an existing profile through `npm run peer`'s script
 * (scripts/peer.mjs: the built bundle, rebuilt only when a source changed) against the bundle run
 * directly (`node out/cli/main.js`), alternated, medians of wall time.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { median, now, scratchDir } from './stats';

const ROOT = join(import.meta.dirname, '..');

function wallMs(args: string[]): number {
  const t0 = now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench: ${args.join(' ')} failed: ${run.stderr}`);
  return now() - t0;
}

export function startupTimes(runs: number): { peer: number; bundle: number } {
  const dir = scratchDir('lockstep-bench-id-');
  const peer = [join(ROOT, 'scripts/peer.mjs'), 'id', '--json', '--profile-dir', dir, '--name', 'Bench'];
  wallMs(peer); // builds the bundle if it is stale, and creates the identity
  const bundle = [join(ROOT, 'out/cli/main.js'), 'id', '--json', '--profile-dir', dir];
  const times = { peer: [] as number[], bundle: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.peer.push(wallMs(peer));
    times.bundle.push(wallMs(bundle));
  }
  return { peer: median(times.peer), bundle: median(times.bundle) };
}
