// `node bench/profile-top.mjs FILE.cpuprofile [N]`: the N functions with the most self time, and
// the share of each source file, from a V8 CPU profile (node --cpu-prof).
import { readFileSync } from 'node:fs';
import process from 'node:process';

const print = (line) => process.stdout.write(`${line}\n`);

const [file, top = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const byFn = new Map();
const byFile = new Map();
for (const node of profile.nodes) {
  const us = dt.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/(node_modules\/|main\/|bench\/)/, '$1') || '(native)';
  const key = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
print(`total ${(total / 1000).toFixed(0)} ms sampled\n\nby function (self):`);
for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) print(`${pct(us)}  ${k}`);
print('\nby file (self):');
for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) print(`${pct(us)}  ${k}`);
