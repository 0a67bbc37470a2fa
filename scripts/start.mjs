// `npm start [-- --profile NAME] [--demo]`: build, make sure Electron and its build of
// better-sqlite3 are there, then launch the app. Where Electron cannot be had (offline), say why
// and point to the headless peer, which needs neither.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { ensureElectronSqlite, obtainElectronBinary, root } from './electron-runtime.mjs';

const HEADLESS = 'To chat without the desktop app, use the headless peer: npm run peer -- listen …';

function fail(message, ...more) {
  console.error(`\nnpm start: ${message}`);
  for (const line of more) console.error(line);
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) fail('the build failed (see above).');

const electron = obtainElectronBinary();
if (!electron.ok) fail(`cannot start the desktop app: ${electron.cause}.`, HEADLESS);

const sqlite = ensureElectronSqlite();
if (!sqlite.ok) {
  fail(`cannot build the database module for Electron: ${sqlite.cause}.`, `Full log: ${sqlite.log}`, HEADLESS);
}

// Electron reads out/main/index.js from package.json's "main"; our flags go after the app path.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => fail(`could not run ${electron.path}: ${error.message}`, HEADLESS));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
