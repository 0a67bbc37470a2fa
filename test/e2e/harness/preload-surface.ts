/**
 * What the real preload puts on `window.lockstep`, read from the preload as it ships: built by
 * the project's build script, then run in a fresh V8 context whose `require` knows only a fake
 * `electron` that records what is exposed. The harness's `window.lockstep` is compared with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { ROOT } from './static-server';

export interface PreloadSurface {
  /** Keys of the object the preload exposes as `lockstep`, in its own order. */
  keys: string[];
  /** typeof of each exposed value. */
  types: Record<string, string>;
}

export function shippedPreloadSurface(): PreloadSurface {
  const out = mkdtempSync(join(tmpdir(), 'lockstep-e2e-preload-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'preload', '--out', out], { cwd: ROOT, stdio: 'pipe' });
    const code = readFileSync(join(out, 'preload', 'preload.cjs'), 'utf8');
    const exposed = new Map<string, Record<string, unknown>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
    };
    const module = { exports: {} };
    const require = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`the preload required ${name}`);
    };
    runInNewContext(code, { require, module, exports: module.exports, console }, { filename: 'preload.cjs' });
    const api = exposed.get('lockstep');
    if (!api || exposed.size !== 1) throw new Error(`the preload exposed ${[...exposed.keys()].join(', ') || 'nothing'}, not just "lockstep"`);
    return { keys: Object.keys(api), types: Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v])) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
