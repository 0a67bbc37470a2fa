/**
 * `npx tsx bench/profile-connect.ts [N] [OUT.cpuprofile]`: N connects (dial, secure and
 * pin-checked, hellos, close) between two engines in this process, after a warm-up, with a V8 CPU
 * profile of those connects alone (summarise it with bench/profile-top.mjs).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

import { LockstepPair } from './lockstep';
import { fmtMs, median } from './stats';

// The listener takes 60 connections a minute from one address (SECURITY.md): stay under it.
const n = Math.min(Number(process.argv[2] ?? 45), 45);
const out = process.argv[3] ?? 'connect.cpuprofile';

const pair = await LockstepPair.open();
for (let i = 0; i < 10; i++) await pair.connectOnce(); // warm-up
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const secure: number[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) secure.push((await pair.connectOnce()).secureMs);
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
process.stderr.write(`connect: secure p50 ${fmtMs(median(secure))}, CPU ${fmtMs((cpu.user + cpu.system) / 1000 / n)} per connect (both sides); profile in ${out}\n`);
await pair.close();
