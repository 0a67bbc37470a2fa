// `npm run dist [-- electron-builder options]`: build, make the Electron build of better-sqlite3,
// then package with electron-builder (electron-builder.yml). Options go to electron-builder,
// e.g. `npm run dist -- --dir` or `-- --linux AppImage`. electron-builder downloads Electron
// for the target; offline, point it at an unpacked Electron with -c.electronDist=DIR.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { ensureElectronSqlite, installedElectronBinary, root } from './electron-runtime.mjs';

function fail(message, ...more) {
  console.error(`\nnpm run dist: ${message}`);
  for (const line of more) console.error(line);
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) fail('the build failed (see above).');

// The Electron binary, where it is installed, checks a prebuilt database module; else it is built.
const sqlite = await ensureElectronSqlite(installedElectronBinary());
if (!sqlite.ok) fail(`cannot build the database module for Electron: ${sqlite.cause}.`, `Full log: ${sqlite.log}`);
if (sqlite.source !== 'source') console.log(sqlite.message);

const require = createRequire(join(root, 'package.json'));
const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
const pack = spawnSync(process.execPath, [cli, '--publish', 'never', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (pack.status !== 0) fail('electron-builder failed (see above).');
console.log('\nPackages are in release/.');
