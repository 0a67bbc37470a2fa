/**
 * LAN discovery across a real (virtual) link: two network namespaces joined by a veth pair
 * (10.233.<n>.1/24 and .2/24), each with a 224.0.0.0/4 route on its veth, a discovery peer in
 * each, bound to its veth address. The veth pair is created inside the first namespace with its
 * other end moved straight into the second: it never touches this machine's own namespace, and
 * no packet goes anywhere but between the two. Needs root and `ip netns`; elsewhere the suite is
 * skipped with the reason printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { humanFingerprint } from '../../main/core/trust/pins';
import { type CliPeer, is, usePeers } from '../helpers/cli-peer';
import { waitUntil } from '../helpers/wait';
import { DISCOVERY_WAIT_MS, lastPeers, randomPin, TSX_FIXTURE } from './helpers';

function ip(args: string[]): string {
  return execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 }).toString('utf8');
}

function tryIp(args: string[]): boolean {
  return spawnSync('ip', args, { stdio: 'ignore', timeout: 15_000 }).status === 0;
}

/** Why namespaces cannot be made here, or null if they can. */
function unavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `lsdisc-probe-${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0) return `\`ip netns add\` failed: ${`${r.stderr ?? ''}${r.error?.message ?? ''}`.trim() || 'no output'}`;
  tryIp(['netns', 'del', probe]);
  return null;
}

/** Namespaces of this suite left by an earlier run that was killed before its afterAll. */
function removeStale(): void {
  let names: string[] = [];
  try {
    names = ip(['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '');
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^lsdisc-[ab]-(\d+)$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      tryIp(['netns', 'del', name]);
    }
  }
}

const reason = unavailable();
if (reason) console.warn(`Skipping the discovery test across two network namespaces: ${reason}.`);

describe.skipIf(reason !== null)('LAN discovery between two network namespaces', () => {
  const peers = usePeers();
  const pid = process.pid;
  const n = (pid % 250) + 1;
  const side = {
    a: { ns: `lsdisc-a-${pid}`, dev: `ldia${pid}`, address: `10.233.${n}.1` },
    b: { ns: `lsdisc-b-${pid}`, dev: `ldib${pid}`, address: `10.233.${n}.2` },
  };
  const created: string[] = [];
  const teardown = () => {
    for (const ns of created.splice(0)) tryIp(['netns', 'del', ns]);
  };
  // A crash between beforeAll and afterAll must not leave namespaces behind either.
  process.once('exit', teardown);

  beforeAll(() => {
    removeStale();
    for (const s of [side.a, side.b]) {
      ip(['netns', 'add', s.ns]);
      created.push(s.ns);
    }
    ip(['-n', side.a.ns, 'link', 'add', side.a.dev, 'type', 'veth', 'peer', 'name', side.b.dev, 'netns', side.b.ns]);
    for (const s of [side.a, side.b]) {
      ip(['-n', s.ns, 'addr', 'add', `${s.address}/24`, 'dev', s.dev]);
      ip(['-n', s.ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', s.ns, 'link', 'set', s.dev, 'up']);
      ip(['-n', s.ns, 'route', 'add', '224.0.0.0/4', 'dev', s.dev]);
    }
  });

  afterAll(() => {
    teardown();
    process.removeListener('exit', teardown);
    expect(ip(['netns', 'list'])).not.toMatch(new RegExp(`lsdisc-[ab]-${pid}\\b`));
  });

  const spawnIn = (s: typeof side.a, label: string, args: string[]): CliPeer =>
    peers.spawn(['--interface', s.address, ...args], { command: ['ip', 'netns', 'exec', s.ns, ...TSX_FIXTURE], label });

  it('a peer advertising in A is found from B at its veth address, and back; a goodbye crosses the link', async () => {
    const pinA = randomPin();
    const pinB = randomPin();
    const a = spawnIn(side.a, `Host A (${side.a.ns})`, ['--name', 'Host A', '--pin', pinA, '--port', '47474', '--browse']);
    const b = spawnIn(side.b, `Host B (${side.b.ns})`, ['--name', 'Host B', '--pin', pinB, '--port', '47475', '--browse']);
    expect(await a.next(is.type('ready'), 'A ready', DISCOVERY_WAIT_MS)).toMatchObject({ interface: side.a.address });
    expect(await b.next(is.type('ready'), 'B ready', DISCOVERY_WAIT_MS)).toMatchObject({ interface: side.b.address });

    const seen = (p: CliPeer, pin: string) =>
      p.next((r) => r.type === 'peers' && lastPeers([r]).some((x) => x.pin === pin), `${pin.slice(0, 16)}… at ${p.label}`, DISCOVERY_WAIT_MS);
    await seen(b, pinA);
    expect(lastPeers(b.records).find((x) => x.pin === pinA)).toMatchObject({
      name: 'Host A',
      pin: pinA,
      fingerprint: humanFingerprint(pinA),
      port: 47474,
      address: side.a.address,
    });
    await seen(a, pinB);
    expect(lastPeers(a.records).find((x) => x.pin === pinB)).toMatchObject({ name: 'Host B', port: 47475, address: side.b.address });

    // Across the link too, nobody lists itself, and there were no send errors.
    for (const [p, own] of [[a, pinA], [b, pinB]] as const) {
      expect(p.records.filter((r) => r.type === 'peers').some((r) => lastPeers([r]).some((x) => x.pin === own))).toBe(false);
      expect(p.records.filter((r) => r.type === 'event' && r.kind === 'discovery.error')).toEqual([]);
    }

    a.write('stop');
    await b.next(is.event('discovery.lost', (d) => d.pin === pinA && d.reason === 'goodbye'), "A's goodbye at B", DISCOVERY_WAIT_MS);
    // The lost event comes first; the updated list follows it.
    await waitUntil(() => !lastPeers(b.records).some((x) => x.pin === pinA), "B's list without A after the goodbye", { timeoutMs: DISCOVERY_WAIT_MS });

    for (const p of [a, b]) {
      p.write('close');
      expect((await p.next(is.type('closed'), `${p.label} closed`, DISCOVERY_WAIT_MS)).udp).toBe(0);
      expect(await p.waitExit()).toEqual({ code: 0, signal: null });
      expect(p.nonJson).toEqual([]);
    }
  }, 120_000);
});
