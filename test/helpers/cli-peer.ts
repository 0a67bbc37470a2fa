/**
 * The headless peer as a separate process, for cross-process tests: spawn it, write stdin lines,
 * and wait for its `--json` records on stdout. Every wait ends as soon as the record arrives, or
 * fails with a message naming what was awaited, what the process printed last and the tail of
 * its stderr. A process that exits while being waited on fails the wait at once, without waiting
 * for the deadline. `usePeers()` kills whatever a test left running and removes its profiles.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Generous: tsx compiles the engine on start (1–3 s on the development machines, more under load). */
export const PEER_WAIT_MS = 25_000;

/** Run the peer from its TypeScript source in one Node process (`npm run peer` runs the same code from its bundle, out/cli). */
export const TSX_PEER = [process.execPath, '--import', 'tsx', join(ROOT, 'main/cli/main.ts')];

/** A `--json` record: one of the CLI's records or `{"type":"event",...}`. */
export type CliRecord = { type: string; [key: string]: unknown };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Shown in failure messages ("alice", "impostor"…). */
  label?: string;
  /** The command before the peer's arguments; TSX_PEER by default. */
  command?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class CliPeer {
  readonly records: CliRecord[] = [];
  /** stdout lines that were not a JSON object (the `--json` contract says there are none). */
  readonly nonJson: string[] = [];
  readonly exited: Promise<Exit>;
  readonly label: string;
  readonly argv: string[];
  private readonly child: ChildProcess;
  private stdoutText = '';
  private stderrText = '';
  private partial = '';
  private exit: Exit | null = null;
  private readonly consumed = new Set<CliRecord>();
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], options: SpawnOptions = {}) {
    const [cmd, ...pre] = options.command ?? TSX_PEER;
    this.argv = [cmd!, ...pre, ...args];
    this.label = options.label ?? args[0] ?? 'peer';
    this.child = spawn(cmd!, [...pre, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrText += chunk;
      if (this.stderrText.length > 200_000) this.stderrText = this.stderrText.slice(-100_000);
    });
    // A peer that exits before reading its stdin must not crash the test with EPIPE.
    this.child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolvePromise) => {
      this.child.once('error', (err) => {
        this.stderrText += `\n[spawn failed: ${err.message}]`;
        this.exit ??= { code: null, signal: null };
        this.wake();
        resolvePromise(this.exit);
      });
      this.child.once('close', (code, signal) => {
        if (this.partial) this.onLine(this.partial);
        this.partial = '';
        this.exit = { code, signal };
        this.wake();
        resolvePromise(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get exitStatus(): Exit | null {
    return this.exit;
  }

  /** Records of one type (`'message'`, `'delivered'`…), or events of one kind with `event('tcp.connect')`. */
  ofType(type: string): CliRecord[] {
    return this.records.filter((r) => r.type === type);
  }

  events(kind?: string): CliRecord[] {
    return this.records.filter((r) => r.type === 'event' && (kind === undefined || r.kind === kind));
  }

  /** Send one line on stdin (the peer sends it as a message). */
  write(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** End stdin: the peer waits for outstanding acks, says goodbye and exits. */
  end(): void {
    this.child.stdin!.end();
  }

  /**
   * The first record matching `match` that no earlier `next` returned — already printed or still
   * to come. Fails after `timeoutMs`, or as soon as the process exits without printing one.
   */
  next(match: (r: CliRecord) => boolean, what: string, timeoutMs = PEER_WAIT_MS): Promise<CliRecord> {
    return new Promise((resolvePromise, reject) => {
      const find = () => this.records.find((r) => !this.consumed.has(r) && match(r));
      const check = (): boolean => {
        const found = find();
        if (found) {
          this.consumed.add(found);
          done();
          resolvePromise(found);
          return true;
        }
        if (this.exit) {
          done();
          reject(new Error(`${this.label} exited (${describeExit(this.exit)}) before printing ${what}.\n${this.describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} from ${this.label}.\n${this.describe()}`));
      }, timeoutMs);
      const onChange = () => void check();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(onChange);
      };
      if (!check()) this.waiters.add(onChange);
    });
  }

  /** Wait for the process to end; fails (after killing it) if it does not within `timeoutMs`. */
  async waitExit(what = 'exit', timeoutMs = PEER_WAIT_MS): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${this.label} to ${what}.\n${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, deadline]);
    } catch (err) {
      await this.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL if it lingers. Resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.exit || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const gone = await Promise.race([this.exited.then(() => true), sleep(2_000).then(() => false)]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** What a failure message shows: the command, its state, its last records and its stderr tail. */
  describe(): string {
    const state = this.exit ? `exited (${describeExit(this.exit)})` : 'still running';
    const last = this.records
      .slice(-12)
      .map((r) => (r.type === 'event' ? `event ${String(r.kind)}${r.kind === 'conn.closed' || r.kind === 'tls.error' || r.kind === 'trust.check' ? ` ${JSON.stringify(r.detail)}` : ''}` : JSON.stringify(r)))
      .map((line) => `    ${line.slice(0, 300)}`);
    return [
      `  command: ${this.argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
      `  state:   ${state}`,
      `  last records (${this.records.length} in all):`,
      ...(last.length ? last : ['    (none)']),
      ...(this.nonJson.length ? [`  non-JSON stdout lines: ${this.nonJson.slice(0, 5).map((l) => JSON.stringify(l)).join(', ')}`] : []),
      '  stderr tail:',
      ...tail(this.stderrText, 20).map((line) => `    ${line}`),
    ].join('\n');
  }

  private onStdout(chunk: string): void {
    this.stdoutText += chunk;
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.onLine(line);
    this.wake();
  }

  private onLine(line: string): void {
    if (line === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as CliRecord).type === 'string') {
        this.records.push(value as CliRecord);
        return;
      }
    } catch {
      // not JSON: recorded below
    }
    this.nonJson.push(line);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function tail(text: string, lines: number): string[] {
  const all = text.trimEnd().split('\n');
  return text.trim() ? all.slice(-lines) : ['(empty)'];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface Peers {
  /** Spawn a peer; it is killed after the current test if still running. */
  spawn(args: string[], options?: SpawnOptions): CliPeer;
  /** A fresh, empty profile directory, removed after the suite. */
  profile(name: string): string;
}

/** Call at the top of a describe (or file): tracks peers and profiles and cleans them up. */
export function usePeers(): Peers {
  const live = new Set<CliPeer>();
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all([...live].map((p) => p.kill()));
    live.clear();
  });
  afterAll(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    spawn(args, options) {
      const peer = new CliPeer(args, options);
      live.add(peer);
      void peer.exited.then(() => live.delete(peer));
      return peer;
    },
    profile(name) {
      const dir = mkdtempSync(join(tmpdir(), `lockstep-cli-${name.toLowerCase().replace(/\W/g, '')}-`));
      dirs.push(dir);
      return dir;
    },
  };
}

/** Match helpers for `next`. */
export const is = {
  type: (type: string) => (r: CliRecord) => r.type === type,
  event: (kind: string, where: (detail: Record<string, unknown>) => boolean = () => true) => (r: CliRecord) =>
    r.type === 'event' && r.kind === kind && where((r.detail ?? {}) as Record<string, unknown>),
  message: (text: string) => (r: CliRecord) => r.type === 'message' && r.text === text,
  delivered: (id: unknown) => (r: CliRecord) => r.type === 'delivered' && r.id === id,
};

/** Start a listener and wait for its `ready` record (host, port, pin). */
export async function startListener(
  peers: Peers,
  profileDir: string,
  name: string,
  extra: string[] = [],
  options: SpawnOptions = {},
): Promise<{ peer: CliPeer; ready: CliRecord; address: string; pin: string }> {
  const peer = peers.spawn(['listen', '--host', '127.0.0.1', '--port', '0', '--json', '--profile-dir', profileDir, '--name', name, ...extra], {
    label: name,
    ...options,
  });
  const ready = await peer.next(is.type('ready'), `${name}'s "ready" record`);
  return { peer, ready, address: `${String(ready.host)}:${String(ready.port)}`, pin: String(ready.pin) };
}
