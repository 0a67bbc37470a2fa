/**
 * `openssl s_client` as a foreign Lockstep client: spawned with a pipe for stdin, so a test
 * types JSON lines into it and reads the peer's lines from its stdout (-quiet: data only).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

import { DEFAULT_WAIT_MS, waitUntil } from './wait';

export interface SClientOptions {
  address: string;
  cert?: { certPath: string; keyPath: string };
  /** Extra flags, e.g. ['-tls1_3'] or ['-tls1_2']. */
  version: '-tls1_3' | '-tls1_2';
  alpn?: string | null;
  /** `-groups`: the key-exchange groups s_client offers (OpenSSL names), e.g. 'X25519'. */
  groups?: string;
}

export class SClient {
  readonly lines: string[] = [];
  stderr = '';
  exitCode: number | null = null;
  exited = false;
  private rest = '';

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      const parts = (this.rest + text).split('\n');
      this.rest = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) this.lines.push(line.replace(/\r$/, ''));
    });
    child.stderr.on('data', (text: string) => (this.stderr += text));
    child.stdin.on('error', () => undefined); // the process may be gone when a test writes
    child.on('exit', (code) => {
      this.exitCode = code;
      this.exited = true;
    });
  }

  static start(o: SClientOptions): SClient {
    const args = ['s_client', '-connect', o.address, o.version, '-quiet'];
    if (o.cert) args.push('-cert', o.cert.certPath, '-key', o.cert.keyPath);
    if (o.alpn !== null) args.push('-alpn', o.alpn ?? 'lockstep/1');
    if (o.groups) args.push('-groups', o.groups);
    return new SClient(spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** Frames (JSON objects) read so far; a line that is not JSON fails the test. */
  get frames(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  type(frame: object): void {
    this.child.stdin.write(`${JSON.stringify(frame)}\n`);
  }

  next(where: (f: Record<string, unknown>) => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<Record<string, unknown>> {
    return waitUntil(
      () => {
        const found = this.frames.find(where);
        if (found) return found;
        if (this.exited) throw new Error(`openssl s_client exited (${this.exitCode}) while waiting for ${what}; stdout: ${this.lines.join(' | ')}; stderr: ${this.stderr.slice(-500)}`);
        return undefined;
      },
      what,
      { timeoutMs, describe: () => `stdout so far: ${this.lines.join(' | ').slice(0, 500)}` },
    );
  }

  waitExit(what = 'openssl s_client to exit'): Promise<number | null> {
    return waitUntil(() => this.exited, what, { describe: () => `stderr: ${this.stderr.slice(-500)}` }).then(() => this.exitCode);
  }

  stop(): void {
    if (!this.exited) this.child.kill();
  }
}
