// `npm run build`: the Electron main process, the preload, the headless peer and the renderer,
// into out/. `node scripts/build.mjs [main] [preload] [cli] [renderer] [--out DIR]` builds only
// those parts (all by default), into DIR instead of out/ (renderer excepted: Vite's config owns
// its outDir). out/native/ (the Electron build of better-sqlite3) is left alone: it is slow to
// make and does not change with the sources.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Bundled ESM still meets CommonJS dependencies that call require() for Node built-ins.
const requireShim = "import { createRequire as __lockstepCreateRequire } from 'node:module';\nconst require = __lockstepCreateRequire(import.meta.url);";

const targets = {
  main: (out) =>
    bundle('main', {
      entryPoints: [join(root, 'main/electron/main.ts')],
      outfile: join(out, 'main/index.js'),
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['electron', 'better-sqlite3', 'sodium-native'],
      banner: { js: requireShim },
    }),
  preload: async (out) => {
    const outfile = join(out, 'preload/preload.cjs');
    await bundle('preload', {
      entryPoints: [join(root, 'main/electron/preload.ts')],
      outfile,
      platform: 'browser',
      format: 'cjs',
      target: 'chrome120',
      external: ['electron'],
      // zod comes along with the contract; minified, the preload parses faster in every window.
      minify: true,
    });
    assertOnlyElectronRequired(outfile);
  },
  cli: (out) => {
    const entry = join(root, 'main/cli/main.ts');
    if (!existsSync(entry)) return skip('cli', `${relative(root, entry)} does not exist yet`);
    return bundle('cli', {
      entryPoints: [entry],
      outfile: join(out, 'cli/main.js'),
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: Object.keys(pkg.dependencies ?? {}),
      banner: { js: requireShim },
    });
  },
  renderer: async () => {
    const config = join(root, 'vite.config.ts');
    if (!existsSync(config)) return skip('renderer', 'vite.config.ts does not exist yet');
    const started = performance.now();
    const { build } = await import('vite');
    await build({ configFile: config, logLevel: 'warn' });
    done('renderer', join(root, 'out/renderer'), started);
  },
};

async function bundle(name, options) {
  const started = performance.now();
  rmSync(dirname(options.outfile), { recursive: true, force: true });
  await esbuild.build({ bundle: true, sourcemap: 'linked', logLevel: 'silent', legalComments: 'none', ...options });
  done(name, options.outfile, started);
}

/**
 * A sandboxed preload can require only a few built-in modules; anything else fails at run time,
 * in the user's window. Fail the build instead.
 */
export function assertOnlyElectronRequired(file) {
  const code = readFileSync(file, 'utf8');
  const calls = [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1].trim());
  const foreign = calls.filter((arg) => arg !== '"electron"' && arg !== "'electron'");
  if (foreign.length > 0) throw new Error(`${relative(root, file)} requires more than electron: ${foreign.join(', ')}`);
}

function done(name, path, started) {
  const size = statSync(path).isDirectory() ? '' : ` (${Math.round(statSync(path).size / 1024)} KiB)`;
  console.log(`  ${name.padEnd(8)} → ${relative(root, path)}${size} in ${Math.round(performance.now() - started)} ms`);
}

function skip(name, reason) {
  console.log(`  ${name.padEnd(8)} skipped: ${reason}`);
}

/** esbuild's and Vite's errors as `file:line:col: text` lines, without stacks. */
function describe(error) {
  const list = Array.isArray(error?.errors) && error.errors.length > 0 ? error.errors : [error];
  return list.map(describeOne).join('\n  ');
}

function describeOne(e) {
  if (e?.location) return `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}`;
  const text = e?.text ?? (e instanceof Error ? e.message : String(e));
  return e?.id ? `${relative(root, e.id)}: ${text}` : text;
}

async function main() {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
  const out = resolve(values.out ?? join(root, 'out'));
  const unknown = positionals.filter((name) => !(name in targets));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}: choose from ${Object.keys(targets).join(', ')}`);
  const chosen = positionals.length > 0 ? positionals : Object.keys(targets);
  console.log(`Building ${chosen.join(', ')} into ${relative(root, out) || '.'}/`);
  let failed = 0;
  for (const name of chosen) {
    try {
      await targets[name](out);
    } catch (error) {
      failed += 1;
      console.error(`  ${name.padEnd(8)} FAILED:\n  ${describe(error)}`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`build: ${describe(error)}`);
    process.exitCode = 1;
  });
}
