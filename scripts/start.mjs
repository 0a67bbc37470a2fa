// `npm start [-- --profile NAME] [--demo]` (--demo alone: Alice and Bob side by side): build, make sure Electron and its build of
// better-sqlite3 are there, then launch the app. Where Electron cannot be had (offline), say why
// and point to the headless peer, which needs neither.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { DEMO_LAUNCHES, DEMO_SETUP_ARGS } from './demo-launches.mjs';
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

const sqlite = await ensureElectronSqlite(electron.path);
if (!sqlite.ok) {
  fail(`cannot build the database module for Electron: ${sqlite.cause}.`, `Full log: ${sqlite.log}`, HEADLESS);
}
// Which way the database module came (prebuilt, downloaded, built, or already there), and why.
if (sqlite.source !== 'source') console.log(sqlite.message);

// Electron reads out/main/index.js from package.json's "main"; our flags go after the app path.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const args = process.argv.slice(2);

function launch(extra) {
  const child = spawn(electron.path, [root, ...extra], { stdio: 'inherit', env });
  child.on('error', (error) => fail(`could not run ${electron.path}: ${error.message}`, HEADLESS));
  return child;
}

// `--demo` without a profile: the one-laptop demo. Prepare Alice and Bob (pinned to each other),
// then open both, side by side, each listening on its own port.
const demo = args.includes('--demo') && !args.some((a) => a === '--profile' || a.startsWith('--profile='));
const launches = demo ? DEMO_LAUNCHES.map((launch) => launch.args) : [args];
if (demo) {
  const setup = spawnSync(electron.path, [root, ...DEMO_SETUP_ARGS], { stdio: 'inherit', env });
  if (setup.status !== 0) fail('could not prepare the demo profiles (see above).');
}
const children = launches.map(launch);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => children.forEach((c) => c.kill(signal)));
let running = children.length;
let worst = 0;
for (const child of children) {
  child.on('exit', (code, signal) => {
    worst = Math.max(worst, code ?? (signal ? 1 : 0));
    running -= 1;
    if (running === 0) process.exit(worst);
  });
}
