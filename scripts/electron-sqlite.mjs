// Where Electron's better-sqlite3 binary comes from, in this order (electron-runtime.mjs runs it):
//
//   1. the package's own prebuilt binary (better-sqlite3 13 ships Node-API builds for Linux,
//      macOS and Windows in prebuilds/<platform>-<arch>.node; Node-API is ABI-stable, so one
//      build loads in Node and Electron alike), checked by loading it in Electron itself;
//   2. a published binary for Electron's ABI, fetched the way `prebuild-install --runtime
//      electron` does (the package's GitHub release asset), checked the same way;
//   3. only when neither gives a binary that loads: a build from source (needs a C++ toolchain).
//
// Each candidate that is not used says why, so the caller can print which way was taken and why.
// Nothing here touches node_modules: the chosen binary is copied to `nativeBinding`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FETCH_TIMEOUT_MS = 60_000;

/**
 * @typedef {{ exec: string, env: Record<string, string | undefined>, name: string }} Runtime
 *   How to run a script in the target runtime: Electron as Node (ELECTRON_RUN_AS_NODE=1), or,
 *   in tests, Node itself.
 * @typedef {{ source: 'prebuild' | 'download', from: string, reasons: string[] } | { source: 'source', reasons: string[] }} Choice
 */

/** The prebuild's name as better-sqlite3's lib/binding.js picks it (linuxmusl on musl). */
export function prebuildTarget(platform = process.platform, arch = process.arch, musl = isMusl()) {
  return `${platform === 'linux' && musl ? 'linuxmusl' : platform}-${arch}`;
}

function isMusl() {
  if (process.platform !== 'linux') return false;
  const report = /** @type {{ header?: { glibcVersionRuntime?: string } }} */ (process.report.getReport());
  return !report.header?.glibcVersionRuntime;
}

/**
 * Load a candidate binary in the runtime and run one query, in a child process (a binary that
 * does not fit can crash its process). Returns null when it works, else the reason in one line.
 * @param {string} sqliteDir @param {string} binary @param {Runtime} runtime
 */
export function loadsIn(sqliteDir, binary, runtime) {
  const script = `const D = require(${JSON.stringify(join(sqliteDir, 'lib', 'index.js'))});
    const db = new D(':memory:', { nativeBinding: ${JSON.stringify(binary)} });
    process.stdout.write(db.prepare('select sqlite_version() as v').get().v);`;
  const run = spawnSync(runtime.exec, ['-e', script], { env: runtime.env, encoding: 'utf8', timeout: 60_000 });
  if (run.status === 0 && /^\d+\.\d+/.test(run.stdout)) return null;
  if (run.error) return run.error.message;
  const line = `${run.stderr}`.split('\n').map((l) => l.trim()).find((l) => /Error|error:/.test(l));
  return (line ?? `exit code ${run.status ?? run.signal}`).replace(/^\w*Error: /, '');
}

/** The URL `prebuild-install --runtime electron` would fetch for this package and ABI. */
export function releaseAssetUrl({ host, version, abi, target }) {
  return `${host}/download/v${version}/better-sqlite3-v${version}-electron-v${abi}-${target}.tar.gz`;
}

/** Electron's NODE_MODULE_VERSION, asked of the runtime itself. @param {Runtime} runtime */
export function abiOf(runtime) {
  const run = spawnSync(runtime.exec, ['-p', 'process.versions.modules'], { env: runtime.env, encoding: 'utf8', timeout: 60_000 });
  const abi = run.status === 0 ? run.stdout.trim() : '';
  return /^\d+$/.test(abi) ? abi : null;
}

/**
 * Fetch and unpack a release asset; resolves with the `.node` path inside, or a reason.
 * @returns {Promise<{ binary: string } | { reason: string }>}
 */
async function download(url, work) {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause;
    return { reason: `fetching ${url} failed (${cause?.code ?? cause?.message ?? /** @type {Error} */ (error).message})` };
  }
  if (!response.ok) return { reason: `${url} answered HTTP ${response.status}` };
  const archive = join(work, 'asset.tar.gz');
  writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  const untar = spawnSync('tar', ['-xzf', archive, '-C', work], { encoding: 'utf8' });
  if (untar.status !== 0) return { reason: `the archive from ${url} could not be unpacked (${(untar.stderr || untar.error?.message || '').trim()})` };
  const binary = join(work, 'build', 'Release', 'better_sqlite3.node');
  return existsSync(binary) ? { binary } : { reason: `the archive from ${url} holds no build/Release/better_sqlite3.node` };
}

/**
 * Try the prebuilt binaries in order; copy the first that loads in the runtime to `nativeBinding`.
 * Resolves with where it came from, or `source: 'source'` and every reason the others failed.
 * @param {{ sqliteDir: string, nativeBinding: string, runtime: Runtime, target?: string, releaseHost?: string }} o
 * @returns {Promise<Choice>}
 */
export async function choosePrebuilt(o) {
  const pkg = JSON.parse(readFileSync(join(o.sqliteDir, 'package.json'), 'utf8'));
  const target = o.target ?? prebuildTarget();
  const reasons = [];

  const own = join(o.sqliteDir, 'prebuilds', `${target}.node`);
  if (!existsSync(own)) reasons.push(`better-sqlite3 ${pkg.version} ships no prebuilt binary for ${target}`);
  else {
    const problem = loadsIn(o.sqliteDir, own, o.runtime);
    if (!problem) return use(o, own, 'prebuild', `prebuilds/${target}.node`, reasons);
    reasons.push(`its prebuilt binary for ${target} did not load in ${o.runtime.name} (${problem})`);
  }

  const abi = abiOf(o.runtime);
  if (!abi) {
    reasons.push(`${o.runtime.name} did not say its ABI version, so no published binary could be picked`);
    return { source: 'source', reasons };
  }
  const url = releaseAssetUrl({ host: o.releaseHost ?? releaseHostOf(pkg), version: pkg.version, abi, target });
  const work = mkdtempSync(join(tmpdir(), 'lockstep-sqlite-prebuilt-'));
  try {
    const fetched = await download(url, work);
    if ('reason' in fetched) reasons.push(`no published binary for ${o.runtime.name}'s ABI ${abi}: ${fetched.reason}`);
    else {
      const problem = loadsIn(o.sqliteDir, fetched.binary, o.runtime);
      if (!problem) return use(o, fetched.binary, 'download', url, reasons);
      reasons.push(`the binary from ${url} did not load in ${o.runtime.name} (${problem})`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { source: 'source', reasons };
}

/** @returns {Choice} */
function use(o, binary, source, from, reasons) {
  mkdirSync(dirname(o.nativeBinding), { recursive: true });
  copyFileSync(binary, o.nativeBinding);
  return { source, from, reasons };
}

/** prebuild-install's host: the package's GitHub releases. */
function releaseHostOf(pkg) {
  const repo = String(pkg.repository?.url ?? pkg.repository ?? '').replace(/^git\+/, '').replace(/^git:/, 'https:').replace(/\.git$/, '');
  return `${repo}/releases`;
}

/** What the user reads: which way the binary came, and why the earlier ways were not taken. */
export function describeChoice(choice, { electron, betterSqlite3 }) {
  const head = `better-sqlite3 ${betterSqlite3} for Electron ${electron}`;
  const why = choice.reasons.length > 0 ? ` (${choice.reasons.join('; ')})` : '';
  if (choice.source === 'prebuild') return `${head}: using the package's prebuilt Node-API binary (${choice.from}), which loads in Electron; no compiler needed.`;
  if (choice.source === 'download') return `${head}: using the published binary ${choice.from}, which loads in Electron${why}.`;
  return `${head}: building from source, which needs a C++ toolchain (about a minute), because no prebuilt binary could be used${why}.`;
}
