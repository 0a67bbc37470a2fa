/**
 * `npm start` where Electron cannot be had: scripts/electron-runtime.mjs must come back with a
 * one-line cause, not a stack. Run with the network cut (`unshare -n`), so a machine without the
 * binary tries the download and fails at once, and no traffic leaves; skipped, saying why,
 * where that is not permitted.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const runtime = pathToFileURL(join(root, 'scripts/electron-runtime.mjs')).href;

const probe = spawnSync('unshare', ['-n', 'true']);
const canCutNetwork = !probe.error && probe.status === 0;
if (!canCutNetwork) console.log('electron-runtime offline check skipped: `unshare -n` is not permitted here');

function offline(script: string) {
  return spawnSync('unshare', ['-n', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!canCutNetwork)('obtainElectronBinary, offline', () => {
  it('returns the installed binary, or a one-line cause without a stack', () => {
    const run = offline(`import { obtainElectronBinary } from ${JSON.stringify(runtime)}; console.log(JSON.stringify(obtainElectronBinary()));`);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; path?: string; cause?: string };
    if (result.ok) {
      expect(result.path).toBeTruthy();
      return;
    }
    expect(result.cause).toMatch(/^the Electron [\d.]+ binary is not installed and downloading it failed \(.+\)$/);
    expect(result.cause).not.toContain('\n');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
  });
});
