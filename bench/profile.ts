/**
 * `node --cpu-prof --import tsx bench/profile.ts [N]`: N one-way messages (default 10,000) and
 * then N round trips between two engines in this process, for a CPU profile of where a message's
 * time goes (open the .cpuprofile in Chrome's DevTools, or summarise it with bench/profile-top.mjs).
 */
import { LockstepPair } from './lockstep';
import { fmtMs, fmtRate, messageText, now } from './stats';

const n = Number(process.argv[2] ?? 10_000);
const text = (i: number) => messageText(i, 200);

const pair = await LockstepPair.open();
await pair.connectOnce(true);
await pair.throughput(Math.min(2_000, n), text); // warm-up
const cpu0 = process.cpuUsage();
const t = await pair.throughput(n, text);
const cpu = process.cpuUsage(cpu0);
process.stderr.write(`one-way: ${fmtRate((n / t.ms) * 1000)}, CPU ${fmtMs((cpu.user + cpu.system) / 1000 / n)} per message, ${(t.records / n).toFixed(2)} tls.record events per message\n`);
const t0 = now();
for (let i = 0; i < Math.min(n, 2_000); i++) await pair.roundTrip(text(i));
process.stderr.write(`round trip: ${fmtMs((now() - t0) / Math.min(n, 2_000))} mean\n`);
await pair.close();
