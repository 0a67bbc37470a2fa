/**
 * The cost of encrypted history at rest, measured on this machine. Not a test: nothing here
 * passes or fails on time; it prints a table (stdout) and progress (stderr).
 *
 *   1. messages stored per second, sealed (MessageStore, the app's own path) and raw (the same
 *      statements and transactions on a scratch database of the same schema, the body stored as
 *      plain UTF-8), for the send path (a message, in the outbox by its state, read back) and
 *      the receive path (one insert, read back); the ratio is sealed / raw.
 *   2. time to the first page (50 messages) of a conversation holding 1,000,000 messages: median
 *      of several fresh opens (openStore, then page()); the target is under 20 ms. The page cache
 *      is warm (the file was just written): this is an app restart, not a cold boot.
 *   3. bytes on disk per message, sealed and raw, and at a million messages.
 *
 * Run: `npx tsx bench/store-bench.ts`; `BENCH_QUICK=1` for small counts (seconds).
 * `runStoreBench()` and `formatStoreBench()` are exported for `bench/main.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import { v7 as messageId } from 'uuid';

import { type Db, hasSealedData, migrate, openDatabase } from '../main/core/store/database';
import { MIGRATIONS } from '../main/core/store/migrations';
import { RowSealer } from '../main/core/store/row-sealer';
import { openStore } from '../main/core/store/store';

export interface StoreBenchOptions {
  quick?: boolean;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

export interface Throughput {
  rate: number;
  cpuUs: number;
}

export interface StoreBenchResult {
  config: { quick: boolean; warmupMessages: number; insertMessages: number; insertRuns: number; bigConversation: number; pageSize: number; opens: number };
  environment: { node: string; sqlite: string; cpus: number; load: number };
  /** Messages per second by the wall clock, and CPU time (user + system) per message in µs: medians of the runs. */
  send: { sealed: Throughput; raw: Throughput };
  receive: { sealed: Throughput; raw: Throughput };
  /** Where an open of the big profile spends its time (medians, ms). */
  openParts: { openDatabase: number; hasSealedData: number };
  firstPage: { open: number[]; page: number[]; total: number[]; medianOpenMs: number; medianPageMs: number; medianTotalMs: number; targetMs: number; buildSeconds: number };
  bytesPerMessage: { sealed: number; raw: number; big: number };
}

const PAGE = 50;
const TARGET_MS = 20;

function config(quick: boolean): StoreBenchResult['config'] {
  return quick
    ? { quick, warmupMessages: 200, insertMessages: 500, insertRuns: 1, bigConversation: 20_000, pageSize: PAGE, opens: 3 }
    : { quick, warmupMessages: 2_000, insertMessages: 20_000, insertRuns: 3, bigConversation: 1_000_000, pageSize: PAGE, opens: 9 };
}

const now = () => performance.now();

/** Wall-clock seconds and CPU microseconds (user + system) of `fn`, for `n` messages. */
function measure(n: number, fn: () => void): Throughput {
  const cpu0 = process.cpuUsage();
  const t0 = now();
  fn();
  const seconds = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: n / seconds, cpuUs: (cpu.user + cpu.system) / n };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const medianOf = (runs: Throughput[]): Throughput => ({ rate: median(runs.map((r) => r.rate)), cpuUs: median(runs.map((r) => r.cpuUs)) });

/** Chat-like texts of 20–200 characters, different for every index. */
function text(i: number): string {
  const words = ['meet', 'at', 'the', 'station', 'tomorrow', 'bring', 'the', 'notes', 'and', 'coffee', 'ok', 'see', 'you', 'soon', '✓'];
  const out: string[] = [`#${i}`];
  let len = 20 + ((i * 7919) % 181);
  for (let k = 0; len > 0; k += 1) {
    const w = words[(i + k * 31) % words.length]!;
    out.push(w);
    len -= w.length + 1;
  }
  return out.join(' ');
}

/** Size of the database and its -wal/-shm files. */
function bytesOnDisk(dir: string, base: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith(base))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

const PIN = `sha256/${Buffer.alloc(32, 42).toString('base64')}`;

/** The app's path: MessageStore over a sealed store. Returns messages per second. */
function sealedRun(dir: string, n: number, direction: 'out' | 'in'): Throughput & { bytes: number } {
  const store = openStore(dir);
  try {
    const { contact } = store.contacts.add({ name: 'Bench Peer', pin: PIN, address: '127.0.0.1:1' });
    store.messages.conversationOf(contact.id);
    const at = new Date().toISOString();
    const result = measure(n, () => {
      for (let i = 0; i < n; i += 1) {
        if (direction === 'out') store.messages.addOutgoing(contact.id, text(i));
        else store.messages.addIncoming(contact.id, messageId(), text(i), at); // the sender's ids: time-ordered, as the app makes them
      }
    });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    return { ...result, bytes: bytesOnDisk(dir, 'lockstep.db') / n };
  } finally {
    store.db.close();
  }
}

/**
 * The same work without encryption: the schema from the same migrations, the same pragmas, the
 * same statements and transactions as MessageStore, with the body stored as plain UTF-8 bytes.
 */
function rawRun(dir: string, n: number, direction: 'out' | 'in'): Throughput & { bytes: number } {
  const db: Db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    migrate(db, MIGRATIONS);
    const contactId = randomUUID();
    const conversationId = randomUUID();
    const created = new Date().toISOString();
    db.prepare(`INSERT INTO contacts (id, name, pin, address, created_at) VALUES (?, 'Bench Peer', ?, '127.0.0.1:1', ?)`).run(contactId, PIN, created);
    db.prepare('INSERT INTO conversations (id, contact_id, created_at) VALUES (?, ?, ?)').run(conversationId, contactId, created);
    const insert = db.prepare(
      `INSERT OR IGNORE INTO messages (id, conversation_id, direction, body_sealed, sent_at, received_at, state, unread)
       VALUES (@id, @conversationId, @direction, @body, @sentAt, @receivedAt, @state, @unread)`,
    );
    const byId = db.prepare<[string], { body_sealed: Buffer }>(
      'SELECT m.*, c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?',
    );
    const read = (id: string) => byId.get(id)!.body_sealed.toString('utf8');
    const at = new Date().toISOString();
    const result = measure(n, () => {
      for (let i = 0; i < n; i += 1) {
        const id = messageId();
        const body = Buffer.from(text(i), 'utf8');
        if (direction === 'out') {
          const sentAt = new Date().toISOString();
          insert.run({ id, conversationId, direction: 'out', body, sentAt, receivedAt: null, state: 'queued', unread: 0 });
        } else {
          insert.run({ id, conversationId, direction: 'in', body, sentAt: at, receivedAt: new Date().toISOString(), state: 'received', unread: 1 });
        }
        read(id);
      }
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { ...result, bytes: bytesOnDisk(dir, 'raw.db') / n };
  } finally {
    db.close();
  }
}

/** A conversation of `count` sealed messages, written in one transaction of prepared inserts. */
function buildBigConversation(dir: string, count: number, log: (line: string) => void): { contactId: string; seconds: number } {
  const store = openStore(dir);
  const { contact } = store.contacts.add({ name: 'Long Conversation', pin: PIN, address: '127.0.0.1:1' });
  const conversationId = store.messages.conversationOf(contact.id);
  store.db.close();

  const sealer = new RowSealer(new Uint8Array(readFileSync(join(dir, 'database.key'))));
  const db = new Database(join(dir, 'lockstep.db'));
  const t0 = now();
  try {
    // A bulk load, not the app's path: a rollback journal (nothing to journal for new pages) and no syncs.
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      `INSERT INTO messages (id, conversation_id, direction, body_sealed, sent_at, received_at, delivered_at, state, unread)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    );
    const start = Date.now() - count * 1000;
    db.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        const id = messageId();
        const out = i % 2 === 0;
        const at = new Date(start + i * 1000).toISOString();
        const body = sealer.seal(text(i), { table: 'messages', rowId: id, conversationId });
        insert.run(id, conversationId, out ? 'out' : 'in', body, at, out ? null : at, out ? at : null, out ? 'delivered' : 'received');
        if ((i + 1) % 200_000 === 0) log(`  … ${(i + 1).toLocaleString('en-US')} messages`);
      }
    })();
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return { contactId: contact.id, seconds: (now() - t0) / 1000 };
}

function firstPage(dir: string, contactId: string, expectCount: number): { open: number; page: number } {
  const t0 = now();
  const store = openStore(dir);
  const t1 = now();
  try {
    const page = store.messages.page(contactId, undefined, PAGE);
    const t2 = now();
    if (page.length !== Math.min(PAGE, expectCount) || page.some((m) => m.problem)) throw new Error('the first page is not what was written');
    if (!page.at(-1)!.text.startsWith(`#${expectCount - 1} `)) throw new Error(`the first page does not end with the newest message: ${page.at(-1)!.text}`);
    return { open: t1 - t0, page: t2 - t1 };
  } finally {
    store.db.close();
  }
}

/**
 * The parts of openStore that touch the database before the first page: opening it (pragmas,
 * migrations check) and `hasSealedData` (an EXISTS, which stops at the first row whatever the
 * history's length).
 */
function openBreakdown(dir: string, opens: number): StoreBenchResult['openParts'] {
  const parts = { openDatabase: [] as number[], hasSealedData: [] as number[] };
  for (let i = 0; i < opens; i += 1) {
    const t0 = now();
    const db = openDatabase(dir);
    const t1 = now();
    const sealed = hasSealedData(db);
    const t2 = now();
    db.close();
    if (!sealed) throw new Error('the big profile should hold sealed data');
    parts.openDatabase.push(t1 - t0);
    parts.hasSealedData.push(t2 - t1);
  }
  return { openDatabase: median(parts.openDatabase), hasSealedData: median(parts.hasSealedData) };
}

export async function runStoreBench(options: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const quick = options.quick ?? process.env.BENCH_QUICK === '1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cfg = config(quick);
  const scratch = mkdtempSync(join(tmpdir(), 'lockstep-store-bench-'));
  const probe = new Database(':memory:');
  const environment = {
    node: process.version,
    sqlite: String(probe.prepare('SELECT sqlite_version()').pluck().get()),
    cpus: cpus().length,
    load: loadavg()[0] ?? 0,
  };
  probe.close();
  try {
    // Warm up both paths (JIT, the cipher's first calls, SQLite's first statements); not counted.
    for (const direction of ['out', 'in'] as const) {
      const dir = mkdtempSync(join(scratch, 'warmup-'));
      sealedRun(dir, cfg.warmupMessages, direction);
      rawRun(dir, cfg.warmupMessages, direction);
      rmSync(dir, { recursive: true, force: true });
    }
    const runs = { send: { sealed: [] as Throughput[], raw: [] as Throughput[] }, receive: { sealed: [] as Throughput[], raw: [] as Throughput[] } };
    const bytes = { sealed: [] as number[], raw: [] as number[] };
    for (let run = 0; run < cfg.insertRuns; run += 1) {
      for (const [path, direction] of [
        ['send', 'out'],
        ['receive', 'in'],
      ] as const) {
        // Alternate the order so neither variant always runs on a warmer machine.
        const order = run % 2 === 0 ? (['sealed', 'raw'] as const) : (['raw', 'sealed'] as const);
        for (const kind of order) {
          const dir = mkdtempSync(join(scratch, `${kind}-${path}-`));
          const r = kind === 'sealed' ? sealedRun(dir, cfg.insertMessages, direction) : rawRun(dir, cfg.insertMessages, direction);
          runs[path][kind].push({ rate: r.rate, cpuUs: r.cpuUs });
          if (path === 'send') bytes[kind].push(r.bytes);
          rmSync(dir, { recursive: true, force: true });
          log(`store-bench: ${path} ${kind} run ${run + 1}/${cfg.insertRuns}: ${Math.round(r.rate)} messages/s, ${r.cpuUs.toFixed(0)} µs CPU per message`);
        }
      }
    }

    log(`store-bench: building a conversation of ${cfg.bigConversation.toLocaleString('en-US')} sealed messages…`);
    const bigDir = mkdtempSync(join(scratch, 'big-'));
    const { contactId, seconds } = buildBigConversation(bigDir, cfg.bigConversation, log);
    log(`store-bench: built in ${seconds.toFixed(1)} s; opening it ${cfg.opens} times`);
    firstPage(bigDir, contactId, cfg.bigConversation); // the first open turns the file to WAL; not counted
    const open: number[] = [];
    const page: number[] = [];
    for (let i = 0; i < cfg.opens; i += 1) {
      const r = firstPage(bigDir, contactId, cfg.bigConversation);
      open.push(r.open);
      page.push(r.page);
    }
    const total = open.map((o, i) => o + page[i]!);
    const big = bytesOnDisk(bigDir, 'lockstep.db') / cfg.bigConversation;

    return {
      config: cfg,
      environment,
      send: { sealed: medianOf(runs.send.sealed), raw: medianOf(runs.send.raw) },
      receive: { sealed: medianOf(runs.receive.sealed), raw: medianOf(runs.receive.raw) },
      openParts: openBreakdown(bigDir, cfg.opens),
      firstPage: {
        open,
        page,
        total,
        medianOpenMs: median(open),
        medianPageMs: median(page),
        medianTotalMs: median(total),
        targetMs: TARGET_MS,
        buildSeconds: seconds,
      },
      bytesPerMessage: { sealed: median(bytes.sealed), raw: median(bytes.raw), big },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
const ms = (n: number) => (n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`);
const ratio = (n: number) => `${n.toFixed(2)}×`;
const us = (n: number) => `${n.toFixed(0)} µs`;

/** The result as a plain-text table; each metric's label starts its line. */
export function formatStoreBench(r: StoreBenchResult): string {
  const big = r.config.bigConversation.toLocaleString('en-US');
  const rows: string[][] = [
    ['metric', 'sealed (at rest)', 'raw (no encryption)', 'sealed / raw'],
    ['messages stored per second, send (into the outbox)', rate(r.send.sealed.rate), rate(r.send.raw.rate), ratio(r.send.sealed.rate / r.send.raw.rate)],
    ['messages stored per second, receive', rate(r.receive.sealed.rate), rate(r.receive.raw.rate), ratio(r.receive.sealed.rate / r.receive.raw.rate)],
    ['CPU time per message stored, send', us(r.send.sealed.cpuUs), us(r.send.raw.cpuUs), ratio(r.send.sealed.cpuUs / r.send.raw.cpuUs)],
    ['CPU time per message stored, receive', us(r.receive.sealed.cpuUs), us(r.receive.raw.cpuUs), ratio(r.receive.sealed.cpuUs / r.receive.raw.cpuUs)],
    ['bytes on disk per message', `${r.bytesPerMessage.sealed.toFixed(0)} B`, `${r.bytesPerMessage.raw.toFixed(0)} B`, ratio(r.bytesPerMessage.sealed / r.bytesPerMessage.raw)],
    [`bytes on disk per message, ${big} messages`, `${r.bytesPerMessage.big.toFixed(0)} B`, '', ''],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ').trimEnd();
  const fp = r.firstPage;
  const verdict = fp.medianTotalMs < fp.targetMs ? 'meets' : 'misses';
  return [
    `Lockstep store benchmark${r.config.quick ? ' (BENCH_QUICK: small counts)' : ''} — Node ${r.environment.node}, SQLite ${r.environment.sqlite}, ${r.environment.cpus} CPUs, load ${r.environment.load.toFixed(1)}`,
    `${r.config.insertMessages.toLocaleString('en-US')} messages per run, median of ${r.config.insertRuns} run(s); texts of 20–200 characters`,
    '',
    line(rows[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(line),
    '',
    `time to the first page (${r.config.pageSize} messages) of a conversation of ${big} messages, median of ${r.config.opens} opens (warm page cache):`,
    `  open + first page: ${ms(fp.medianTotalMs)} — ${verdict} the ${fp.targetMs} ms target (medians of the parts: open ${ms(fp.medianOpenMs)}, first page ${ms(fp.medianPageMs)})`,
    `  (all opens: ${fp.total.map(ms).join(', ')}; the conversation was built in ${fp.buildSeconds.toFixed(1)} s)`,
    `  inside the open: openDatabase ${ms(r.openParts.openDatabase)}, hasSealedData ${ms(r.openParts.hasSealedData)}`,
    '',
    'Wall-clock rates depend on the machine\'s load; CPU time per message is the steadier comparison when other work shares the CPUs.',
  ].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  runStoreBench().then(
    (result) => process.stdout.write(`${formatStoreBench(result)}\n`),
    (err: unknown) => {
      process.stderr.write(`store-bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
