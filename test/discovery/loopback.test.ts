/**
 * LAN discovery between processes on loopback: a fixture process advertises (and browses), this
 * test process browses (and advertises), all over mDNS on 127.0.0.1 only. Every discovery and
 * every raw bonjour-service instance here is bound to loopback explicitly; none starts with the
 * library's defaults, which would join and send on every interface of the machine.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { createDiscovery, type Discovery } from '../../main/core/discovery/discovery';
import { type FencedBonjour, type MdnsPacket, openFencedBonjour, resolveInterface } from '../../main/core/discovery/mdns-socket';
import { LockstepError } from '../../main/core/errors';
import { escapeControls } from '../../main/core/discovery/txt';
import { humanFingerprint } from '../../main/core/trust/pins';
import { is, sleep, usePeers } from '../helpers/cli-peer';
import { waitUntil } from '../helpers/wait';
import { DISCOVERY_WAIT_MS, lastPeers, randomPin, Recorder, TSX_FIXTURE, udpHandles } from './helpers';

const LOOPBACK = '127.0.0.1';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof LockstepError ? err.code : `not a LockstepError: ${String(err)}`;
  }
}

describe('LAN discovery: arguments', () => {
  it('never starts without an explicit interface of this machine, and opens no socket when refused', () => {
    const before = udpHandles();
    const bad: unknown[] = [undefined, null, {}, { interface: '' }, { interface: 'lo' }, { interface: '0.0.0.0' }, { interface: '224.0.0.251' }, { interface: '255.255.255.255' }, { interface: '192.0.2.254' }, { interface: '::1' }];
    for (const options of bad) {
      expect(codeOf(() => createDiscovery(options as never)), JSON.stringify(options)).toBe('BAD_ARGUMENT');
    }
    expect(codeOf(() => createDiscovery({ interface: LOOPBACK, refreshMs: 10 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => createDiscovery({ interface: LOOPBACK, refreshMs: 1_000, expiryMs: 500 }))).toBe('BAD_ARGUMENT');
    expect(udpHandles()).toBe(before);
  });

  it('refuses a bad advertisement before anything is sent, and opens its socket only when used', async () => {
    const before = udpHandles();
    const discovery = createDiscovery({ interface: LOOPBACK });
    expect(udpHandles()).toBe(before);
    expect(codeOf(() => discovery.advertise({ name: 'Al\nice', pin: randomPin(), port: 47474 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => discovery.advertise({ name: 'Alice', pin: 'sha256/nope', port: 47474 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => discovery.advertise({ name: 'Alice', pin: randomPin(), port: 0 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => discovery.advertise({ name: 'Alice', pin: randomPin(), port: 65536 }))).toBe('BAD_ARGUMENT');
    expect(udpHandles()).toBe(before);
    await discovery.close();
  });
});

describe('LAN discovery on loopback, between processes', () => {
  const peers = usePeers();
  const open: Discovery[] = [];
  const raws: FencedBonjour[] = [];
  const start = (options: Omit<Parameters<typeof createDiscovery>[0], 'interface'> = {}) => {
    const discovery = createDiscovery({ interface: LOOPBACK, ...options });
    open.push(discovery);
    return discovery;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close()));
    await Promise.all(raws.splice(0).map((r) => r.destroy()));
  });

  const spawnFixture = (label: string, args: string[]) => peers.spawn(['--interface', LOOPBACK, ...args], { command: TSX_FIXTURE, label });

  it('B finds A (name, pin, fingerprint, port, address); A withdrawing removes it; A again brings it back; nobody lists itself', async () => {
    const pinA = randomPin();
    const pinB = randomPin();
    const a = spawnFixture('A', ['--name', 'Alice (A)', '--pin', pinA, '--port', '47001', '--browse']);
    await a.next(is.type('ready'), 'A ready', DISCOVERY_WAIT_MS);

    const rec = new Recorder();
    const b = start({ emitEvent: rec.emitEvent, onChange: rec.onChange });
    b.advertise({ name: 'Bob (B)', pin: pinB, port: 47002 });
    b.browse();

    const found = await rec.next('discovery.found', (d) => d.pin === pinA, "A's advertisement at B");
    expect(found.detail).toMatchObject({ change: 'found', name: 'Alice (A)', port: 47001, address: LOOPBACK });
    expect(found.summary).toMatch(/a claim, not trust/);
    const listed = b.peers().find((p) => p.pin === pinA);
    expect(listed).toMatchObject({
      name: 'Alice (A)',
      pin: pinA,
      fingerprint: humanFingerprint(pinA),
      port: 47001,
      address: LOOPBACK,
      instance: `Lockstep ${humanFingerprint(pinA).split('-').slice(0, 4).join('-')}._lockstep._tcp.local`,
    });
    expect(listed!.host).toMatch(/^lockstep-[0-9a-z]{16}\.local$/);
    expect(Math.abs(listed!.lastSeen - Date.now())).toBeLessThan(DISCOVERY_WAIT_MS);
    expect(rec.lists.at(-1)?.some((p) => p.pin === pinA)).toBe(true);

    // A browses too: it lists B, and neither side ever lists itself.
    await a.next((r) => r.type === 'peers' && lastPeers([r]).some((p) => p.pin === pinB), "B's advertisement at A", DISCOVERY_WAIT_MS);
    expect(lastPeers(a.records).find((p) => p.pin === pinB)).toMatchObject({ name: 'Bob (B)', port: 47002, address: LOOPBACK });
    expect(a.records.filter((r) => r.type === 'peers').some((r) => lastPeers([r]).some((p) => p.pin === pinA))).toBe(false);
    expect(b.peers().some((p) => p.pin === pinB)).toBe(false);

    // A withdraws: its goodbye removes it from B at once.
    a.write('stop');
    await a.next(is.type('stopped'), 'A stopped advertising');
    await rec.next('discovery.lost', (d) => d.pin === pinA && d.reason === 'goodbye', "A's goodbye at B");
    expect(b.peers().some((p) => p.pin === pinA)).toBe(false);
    expect(rec.lists.at(-1)?.some((p) => p.pin === pinA)).toBe(false);

    // A advertises again: B finds it again.
    a.write('advertise');
    await waitUntil(() => rec.of('discovery.found').filter((e) => e.detail.pin === pinA).length >= 2, "A's second advertisement at B", {
      timeoutMs: DISCOVERY_WAIT_MS,
      describe: () => rec.describe(),
    });
    expect(b.peers().some((p) => p.pin === pinA)).toBe(true);

    // A closes: a goodbye again, and no UDP socket left in A when close() resolved.
    a.write('close');
    const closed = await a.next(is.type('closed'), 'A closed', DISCOVERY_WAIT_MS);
    expect(closed.udp).toBe(0);
    expect(await a.waitExit()).toEqual({ code: 0, signal: null });
    await rec.next('discovery.lost', (d) => d.pin === pinA && rec.of('discovery.lost').filter((e) => e.detail.pin === pinA).length >= 2, "A's goodbye on close");
    expect(a.nonJson).toEqual([]);
  }, 120_000);

  it('a peer that keeps answering stays listed; one that vanishes without a goodbye expires', async () => {
    const pinA = randomPin();
    const rec = new Recorder();
    const expiryMs = 4_000;
    const b = start({ emitEvent: rec.emitEvent, onChange: rec.onChange, refreshMs: 400, expiryMs });
    b.browse();
    const a = spawnFixture('A', ['--name', 'Alice', '--pin', pinA, '--port', '47003']);
    await rec.next('discovery.found', (d) => d.pin === pinA, "A's advertisement at B");

    // Well past the expiry: B's queries get answers, so A stays.
    await sleep(expiryMs * 2 + 1_000);
    expect(rec.of('discovery.lost').filter((e) => e.detail.pin === pinA)).toEqual([]);
    expect(b.peers().some((p) => p.pin === pinA)).toBe(true);

    // kill -9: no goodbye. B drops it once it has not answered for expiryMs.
    process.kill(a.pid!, 'SIGKILL');
    await a.exited;
    const lost = await rec.next('discovery.lost', (d) => d.pin === pinA, 'A expiring at B');
    expect(lost.detail.reason).toBe('expired');
    expect(b.peers().some((p) => p.pin === pinA)).toBe(false);
  }, 120_000);

  it('ignores advertisements with a malformed TXT record, with a reason, and lists the good one beside them', async () => {
    const rec = new Recorder();
    const b = start({ emitEvent: rec.emitEvent, onChange: rec.onChange });
    b.browse();

    // A raw bonjour-service publisher, on loopback too (the same fenced socket discovery uses).
    const raw = openFencedBonjour(resolveInterface(LOOPBACK));
    raws.push(raw);
    const tag = Math.random().toString(36).slice(2, 8);
    const goodPin = randomPin();
    const bad: [string, Record<string, string>, RegExp][] = [
      [`bad-pin-${tag}`, { v: '1', pin: 'sha256/not-a-pin', name: 'Mallory' }, /malformed pin/],
      [`human-pin-${tag}`, { v: '1', pin: humanFingerprint(goodPin), name: 'Mallory' }, /malformed pin/],
      [`no-pin-${tag}`, { v: '1', name: 'Mallory' }, /no pin/],
      [`bell-name-${tag}`, { v: '1', pin: randomPin(), name: 'Mal\u0007lory' }, /malformed name.*control/],
      [`bidi-name-${tag}`, { v: '1', pin: randomPin(), name: 'Mallory\u202Etxt.exe' }, /malformed name.*control/],
      [`long-name-${tag}`, { v: '1', pin: randomPin(), name: 'M'.repeat(65) }, /malformed name.*64/],
      [`v2-${tag}`, { v: '2', pin: randomPin(), name: 'Mallory' }, /unsupported version/],
      [`bidi\u202Eservice-${tag}`, { v: '1', pin: randomPin(), name: 'Mallory' }, /service name holds control/],
    ];
    for (const [name, txt] of bad) raw.bonjour.publish({ name, type: 'lockstep', protocol: 'tcp', port: 47010, txt, probe: false });
    raw.bonjour.publish({ name: `good-${tag}`, type: 'lockstep', protocol: 'tcp', port: 47011, txt: { v: '1', pin: goodPin, name: 'Carol' }, probe: false });

    const good = await rec.next('discovery.found', (d) => d.pin === goodPin, 'the well-formed advertisement');
    expect(good.detail).toMatchObject({ name: 'Carol', port: 47011, address: LOOPBACK });
    for (const [name, , reason] of bad) {
      const instance = escapeControls(`${name}._lockstep._tcp.local`);
      const ignored = await rec.next('discovery.ignored', (d) => d.instance === instance, `"${instance}" ignored`);
      expect(ignored.detail.reason, name).toMatch(reason);
      expect(ignored.detail.address).toBe(LOOPBACK);
      expect(ignored.summary.includes('\u0007') || ignored.summary.includes('\u202E')).toBe(false);
    }
    const mine = b.peers().filter((p) => p.instance.endsWith(`-${tag}._lockstep._tcp.local`));
    expect(mine.map((p) => p.name)).toEqual(['Carol']);
    // Each bad advertisement is reported once, however often it is repeated.
    await new Promise<void>((resolve) => raw.bonjour.unpublishAll(() => resolve()));
    b.browse();
    await sleep(1_500);
    for (const [name] of bad) {
      expect(rec.of('discovery.ignored').filter((e) => e.detail.instance === escapeControls(`${name}._lockstep._tcp.local`))).toHaveLength(1);
    }
  }, 120_000);

  it('advertises no address of the machine but the chosen interface, and sends nowhere but the mDNS group', async () => {
    const pin = randomPin();
    const listener = openFencedBonjour(resolveInterface(LOOPBACK));
    raws.push(listener);
    const packets: MdnsPacket[] = [];
    listener.mdns.on('response', (packet) => void packets.push(packet));
    const a = start();
    a.advertise({ name: 'Alice', pin, port: 47020 });
    const label = humanFingerprint(pin).split('-').slice(0, 4).join('-');
    const ours = () => packets.filter((p) => [...(p.answers ?? []), ...(p.additionals ?? [])].some((r) => r.name === `Lockstep ${label}._lockstep._tcp.local`));
    await waitUntil(() => ours().length > 0, 'our announcement', { timeoutMs: DISCOVERY_WAIT_MS });
    // bonjour-service would list every non-loopback address of the machine here (A and AAAA).
    const addressRecords = ours().flatMap((p) => [...(p.answers ?? []), ...(p.additionals ?? [])]).filter((r) => r.type === 'A' || r.type === 'AAAA');
    expect(addressRecords).toEqual([]);

    // A send to anything but 224.0.0.251:5353 is refused (here: a unicast to loopback).
    const problems: string[] = [];
    const fenced = openFencedBonjour(resolveInterface(LOOPBACK), { onProblem: (code) => problems.push(code) });
    raws.push(fenced);
    const mdns = fenced.mdns as unknown as { query: (q: string, type: string, rinfo: { port: number; address: string }, cb: (err?: Error) => void) => void };
    const error = await new Promise<Error | undefined>((resolve) => mdns.query('probe.local', 'A', { port: 9, address: LOOPBACK }, resolve));
    expect(error?.message).toMatch(/refused/);
    expect(problems).toContain('SEND_REFUSED');
  }, 60_000);

  it('close() resolves after the socket is closed, once, and nothing can be started afterwards', async () => {
    const before = udpHandles();
    const d = createDiscovery({ interface: LOOPBACK });
    d.browse();
    d.advertise({ name: 'Alice', pin: randomPin(), port: 47030 });
    expect(udpHandles()).toBe(before + 1);
    const closing = d.close();
    expect(d.close()).toBe(closing);
    await closing;
    expect(udpHandles()).toBe(before);
    expect(d.peers()).toEqual([]);
    expect(codeOf(() => d.browse())).toBe('BAD_ARGUMENT');
    expect(codeOf(() => d.advertise({ name: 'Alice', pin: randomPin(), port: 47030 }))).toBe('BAD_ARGUMENT');
  });
});
