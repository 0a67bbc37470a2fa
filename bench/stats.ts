/** Small numeric and formatting helpers for the benchmark: percentiles, units, the result table. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const now = (): number => performance.now();

/** The p-th percentile (0–100) of the samples, by linear interpolation between closest ranks. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Run `gc()` a few times if the process was started with --expose-gc; false otherwise. */
export async function collectGarbage(): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  for (let i = 0; i < 3; i += 1) {
    gc();
    await sleep(20);
  }
  return true;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** The heap's pages V8 holds (used or not): part of RSS that heapUsed does not show. */
  heapTotal: number;
  external: number;
}

export function memory(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  const sign = bytes < 0 ? '-' : '';
  const b = Math.abs(bytes);
  if (b < 1024) return `${sign}${b.toFixed(0)} B`;
  if (b < 1024 * 1024) return `${sign}${(b / 1024).toFixed(1)} KiB`;
  return `${sign}${(b / 1024 / 1024).toFixed(1)} MiB`;
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  // Two significant digits below 0.1 (0.0030×), so a tiny ratio never prints as 0.00×.
  return ratio !== 0 && Math.abs(ratio) < 0.1 ? `${ratio.toPrecision(2)}×` : `${ratio.toFixed(2)}×`;
}

/** A plain-text table with a header rule; columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** Resolves when `predicate` holds, polling on a timer; rejects with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
}

/** A 200-byte ASCII message text (the benchmark's message size), distinct per index. */
export function messageText(i: number, bytes = 200): string {
  const head = `msg ${i} `;
  return head + 'x'.repeat(Math.max(0, bytes - head.length));
}

/**
 * Call `sendOne(i)` for i < n in chunks, yielding to the event loop between chunks so the
 * receiving end (in this same process) keeps reading — a sender that never yields would measure
 * its own stall. Resolves after the last chunk was handed over.
 */
export async function sendInChunks(n: number, sendOne: (i: number) => void, chunk = 100): Promise<void> {
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + chunk);
    for (; i < end; i += 1) sendOne(i);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const scratchDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A scratch directory under the system temp dir, removed at process exit even after a failure. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.add(dir);
  return dir;
}
