/**
 * Two hosts for real: two network namespaces joined by a veth pair, a headless peer listening in
 * one and a dialer in the other, so the connection crosses an actual (virtual) link between two
 * network stacks instead of loopback. Needs root and `ip netns`; elsewhere the suite is skipped
 * with the reason printed. Traffic goes only to the two addresses created here.
 */
import { spawnSync } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type CliRecord, is, TSX_PEER, usePeers } from '../helpers/cli-peer';
import { netnsUnavailable } from '../helpers/durability-netns';

const PORT = 47474;

function ip(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}


const reason = netnsUnavailable();
if (reason) console.warn(`Skipping the two-namespace test: ${reason}.`);

describe.skipIf(reason !== null)('two hosts in two network namespaces', () => {
  const peers = usePeers();
  const pid = process.pid;
  // 10.231.<n>.0/24, n from the pid so parallel runs on one machine do not collide.
  const n = (pid % 250) + 1;
  const ns = { a: `ls-a-${pid}`, b: `ls-b-${pid}` };
  const veth = { a: `lsva${pid}`.slice(0, 15), b: `lsvb${pid}`.slice(0, 15) };
  const addr = { a: `10.231.${n}.1`, b: `10.231.${n}.2` };
  const created: string[] = [];

  const teardown = () => {
    for (const name of created.splice(0)) ip(['netns', 'del', name]);
    // If moving the veth into a namespace failed, its end is still in this namespace.
    if (ip(['link', 'show', veth.a]).ok) ip(['link', 'del', veth.a]);
  };
  beforeAll(() => {
    // A crash between beforeAll and afterAll must not leave namespaces behind either.
    process.once('exit', teardown);
    const run = (args: string[]) => {
      const r = ip(args);
      if (!r.ok) throw new Error(`ip ${args.join(' ')} failed: ${r.output}`);
    };
    for (const name of [ns.a, ns.b]) {
      run(['netns', 'add', name]);
      created.push(name);
    }
    run(['link', 'add', veth.a, 'type', 'veth', 'peer', 'name', veth.b]);
    run(['link', 'set', veth.a, 'netns', ns.a]);
    run(['link', 'set', veth.b, 'netns', ns.b]);
    for (const [side, name] of [['a', ns.a], ['b', ns.b]] as const) {
      run(['-n', name, 'addr', 'add', `${addr[side]}/24`, 'dev', veth[side]]);
      run(['-n', name, 'link', 'set', 'lo', 'up']);
      run(['-n', name, 'link', 'set', veth[side], 'up']);
    }
  });

  afterAll(() => {
    teardown();
    process.removeListener('exit', teardown);
    expect(ip(['netns', 'list']).output).not.toMatch(new RegExp(`ls-[ab]-${pid}\\b`));
  });

  const inNamespace = (name: string) => ['ip', 'netns', 'exec', name, ...TSX_PEER];

  it('a listener in A and a dialer in B chat across the veth link, both ways, with acks', async () => {
    const listener = peers.spawn(
      ['listen', '--host', addr.a, '--port', String(PORT), '--accept-new', '--json', '--profile-dir', peers.profile('hosta'), '--name', 'Host A'],
      { command: inNamespace(ns.a), label: `Host A (${ns.a})` },
    );
    const ready = await listener.next(is.type('ready'), 'the listener\'s "ready" record');
    expect(ready).toMatchObject({ host: addr.a, port: PORT });

    const dialer = peers.spawn(
      ['connect', `${addr.a}:${PORT}`, '--pin', String(ready.pin), '--json', '--profile-dir', peers.profile('hostb'), '--name', 'Host B'],
      { command: inNamespace(ns.b), label: `Host B (${ns.b})` },
    );
    dialer.write('hello from namespace B');
    await dialer.next(is.type('connected'), 'the dialer\'s "connected" record');

    // The TCP connection really went from B's veth address to A's.
    const connect = await dialer.next(is.event('tcp.connect'), 'the dialer\'s tcp.connect event');
    expect(connect.detail).toMatchObject({ remote: { address: addr.a, port: PORT }, local: { address: addr.b } });
    const accept = await listener.next(is.event('tcp.accept'), 'the listener\'s tcp.accept event');
    expect(accept.detail).toMatchObject({ local: { address: addr.a, port: PORT }, remote: { address: addr.b } });

    const exchange = async (from: typeof listener, to: typeof listener, text: string) => {
      const received: CliRecord = await to.next(is.message(text), `${JSON.stringify(text)} at ${to.label}`);
      const queued = await from.next(is.type('queued'), `"queued" at ${from.label}`);
      expect(received.id).toBe(queued.id);
      await from.next(is.delivered(queued.id), `"delivered" at ${from.label}`);
    };
    await exchange(dialer, listener, 'hello from namespace B');
    listener.write('hello back from namespace A');
    await exchange(listener, dialer, 'hello back from namespace A');

    dialer.end();
    expect(await dialer.waitExit()).toEqual({ code: 0, signal: null });
    listener.end();
    expect(await listener.waitExit()).toEqual({ code: 0, signal: null });
    expect([...listener.nonJson, ...dialer.nonJson]).toEqual([]);
  }, 90_000);
});
