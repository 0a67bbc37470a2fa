/**
 * Two network namespaces joined by a veth pair, for taking a real link down and up under two
 * headless peers. Only addresses in 10.232.<n>.0/24 inside the namespaces made here are used;
 * nothing is routed anywhere else. Needs root and a working `ip netns`; `netnsUnavailable()` says
 * why not, so a suite can skip with the reason printed.
 */
import { execFileSync } from 'node:child_process';

function ip(args: string[]): string {
  return execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 }).toString('utf8');
}

/** Null when namespaces can be made here, else the reason they cannot. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `lsdur-probe-${process.pid}`;
  try {
    ip(['netns', 'add', probe]);
  } catch (err) {
    return `"ip netns add" failed: ${((err as { stderr?: Buffer }).stderr ?? '').toString().trim() || (err as Error).message}`;
  }
  try {
    ip(['netns', 'del', probe]);
  } catch {
    // best effort
  }
  return null;
}

/** Namespaces this helper made in an earlier run that was killed before its afterAll (its pid is gone). */
function removeStale(): void {
  let names: string[];
  try {
    names = ip(['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '');
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^lsdur-[ab]-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      try {
        ip(['netns', 'del', name]);
      } catch {
        // someone else removed it
      }
    }
  }
}

export class VethPair {
  readonly a: { ns: string; dev: string; address: string };
  readonly b: { ns: string; dev: string; address: string };
  private made = false;

  /** `n` picks the subnet 10.232.<n>.0/24; the pid keeps the names unique per test process. */
  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error(`bad subnet number ${n}`);
    const id = process.pid; // at most 7 digits: "lsda" + pid fits the 15-character limit of interface names
    this.a = { ns: `lsdur-a-${id}`, dev: `lsda${id}`, address: `10.232.${n}.1` };
    this.b = { ns: `lsdur-b-${id}`, dev: `lsdb${id}`, address: `10.232.${n}.2` };
  }

  create(): void {
    removeStale();
    this.made = true;
    ip(['netns', 'add', this.a.ns]);
    ip(['netns', 'add', this.b.ns]);
    // The pair is made inside A with its other end moved straight into B: it never touches the host's namespace.
    this.exec(this.a.ns, ['link', 'add', this.a.dev, 'type', 'veth', 'peer', 'name', this.b.dev, 'netns', this.b.ns]);
    for (const side of [this.a, this.b]) {
      this.exec(side.ns, ['addr', 'add', `${side.address}/24`, 'dev', side.dev]);
      this.exec(side.ns, ['link', 'set', side.dev, 'up']);
      this.exec(side.ns, ['link', 'set', 'lo', 'up']);
    }
  }

  /** Take A's end of the link down or up (B's end then loses or regains its carrier). */
  link(state: 'up' | 'down'): void {
    this.exec(this.a.ns, ['link', 'set', this.a.dev, state]);
  }

  /** The command prefix that runs a program inside one of the namespaces. */
  prefix(side: 'a' | 'b', command: string[]): string[] {
    return ['ip', 'netns', 'exec', side === 'a' ? this.a.ns : this.b.ns, ...command];
  }

  /** Delete both namespaces (and with them the veth pair). Safe to call twice or after a failed create. */
  destroy(): void {
    if (!this.made) return;
    for (const ns of [this.a.ns, this.b.ns]) {
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // not made, or already gone
      }
    }
    this.made = false;
  }

  private exec(ns: string, args: string[]): string {
    return ip(['-n', ns, ...args]);
  }
}
