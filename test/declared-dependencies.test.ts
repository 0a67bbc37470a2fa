/**
 * Every package the project imports by name is declared in package.json: one that is only there
 * because something else depends on it can vanish with that other package's next release.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const DIRS = ['main', 'shared', 'renderer', 'test', 'bench', 'scripts', 'build'];
const SOURCE = /\.(ts|tsx|mjs|cjs|js)$/;
/** Static imports and re-exports (one line or several), side-effect imports, dynamic import() and require(). */
const SPECIFIER = /(?:^\s*(?:import|export)\b[^'";]*?\bfrom\s+|^\s*import\s+|\bimport\(\s*|\brequire\(\s*)['"]([^'"]+)['"]/gm;
/** What a package name looks like (npm's rules, loosely): anything else is not an import. */
const PACKAGE = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/.*)?$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : sources(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describe('dependencies', () => {
  it('declares every package imported by name', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const undeclared = new Map<string, string>();
    for (const file of DIRS.flatMap((d) => sources(join(ROOT, d)))) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        if (!specifier || !PACKAGE.test(specifier)) continue;
        const name = packageOf(specifier);
        if (!builtins.has(name) && !declared.has(name)) undeclared.set(name, file.slice(ROOT.length + 1));
      }
    }
    expect(Object.fromEntries(undeclared)).toEqual({});
  });
});
