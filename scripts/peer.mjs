// `npm run peer -- <command>`: the headless peer from its built bundle (out/cli/main.js), as the
// package's `lockstep` command runs it, instead of compiling TypeScript at every start. The
// bundle is rebuilt first (esbuild, well under a second) when any source it is made of is newer;
// the build's own lines go to stderr, so `--json` stdout stays JSON only.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'main.js');

/** The newest modification time under the bundle's sources (and the files that shape its build). */
function newestSource() {
  let newest = Math.max(statSync(join(root, 'package.json')).mtimeMs, statSync(join(root, 'scripts', 'build.mjs')).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'main'));
  walk(join(root, 'shared'));
  return newest;
}

function bundleTime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

if (bundleTime() < newestSource()) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'cli'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write('lockstep: building the headless peer failed (see above).\n');
    process.exit(build.status ?? 1);
  }
}
// Through the package's command, so both start the same way (its runtime check included).
await import(pathToFileURL(join(root, 'bin', 'lockstep.js')).href);
