import { join, sep } from 'node:path';

import { describe, expect, it } from 'vitest';

import { nativeBindingPath } from './native-binding';

describe('nativeBindingPath', () => {
  it('points into out/native/electron during development', () => {
    expect(nativeBindingPath(join('/src', 'lockstep', 'out'))).toBe(join('/src', 'lockstep', 'out', 'native', 'electron', 'better_sqlite3.node'));
  });

  it('points into app.asar.unpacked in a packaged app', () => {
    const out = join('/opt', 'Lockstep', 'resources', 'app.asar', 'out');
    expect(nativeBindingPath(out)).toBe(join('/opt', 'Lockstep', 'resources', 'app.asar.unpacked', 'out', 'native', 'electron', 'better_sqlite3.node'));
    expect(nativeBindingPath(out).split(sep)).not.toContain('app.asar');
  });
});
