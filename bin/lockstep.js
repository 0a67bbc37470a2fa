#!/usr/bin/env node
// The package's `lockstep` command: the headless peer, compiled by `npm run build` into out/cli.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The database module (better-sqlite3) is built for Node-API 10. On a Node.js without it (20 and
// older) the first query kills the process with a segfault and no word, so the runtime is checked
// here, before anything native loads.
const NODE_API_NEEDED = 10;
const compiled = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'main.js');

if (!(Number(process.versions.napi) >= NODE_API_NEEDED)) {
  fail('UNSUPPORTED_RUNTIME', `This Node.js (${process.version}, Node-API ${process.versions.napi ?? 'none'}) cannot run Lockstep: its database module needs Node-API ${NODE_API_NEEDED}. Use Node.js 22.12 or later, 24 or 26.`);
} else if (!existsSync(compiled)) {
  process.stderr.write('lockstep: the headless peer is not built yet. Run `npm run build` (or use `npm run peer -- <command>`).\n');
  process.exitCode = 2;
} else {
  await import(pathToFileURL(compiled).href);
}

/** Reported like every CLI error: a stable code, as a record on stdout with --json, else a line on stderr. */
function fail(code, message) {
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ type: 'error', code, message })}\n`);
  else process.stderr.write(`error ${code}: ${message}\n`);
  process.exitCode = 1; // not process.exit(): the line must reach a pipe first
}
