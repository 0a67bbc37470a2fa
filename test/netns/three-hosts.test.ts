/**
 * Three hosts — Alice, Eve, Bob — in three network namespaces: Alice's link goes to Eve's host and
 * Eve's other link to Bob's, so everything Bob sends crosses Eve's machine. Bob dials Eve's
 * address holding Alice's pin; Eve relays to Alice (passive, tamper or impostor). Needs root and
 * `ip netns`; elsewhere skipped with the reason printed. Traffic only to the addresses made here.
 */
import { spawnSync } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type CliPeer, is, TSX_PEER, usePeers } from '../helpers/cli-peer';
import { netnsUnavailable } from '../helpers/durability-netns';

const ALICE_PORT = 47474;

function ip(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}


const reason = netnsUnavailable();
if (reason) console.warn(`Skipping the three-namespace test: ${reason}.`);

describe.skipIf(reason !== null)('Alice, Eve and Bob on three hosts', () => {
  const peers = usePeers();
  const pid = process.pid;
  const n = (pid % 250) + 1;
  const ns = { alice: `ls3a-${pid}`, eve: `ls3e-${pid}`, bob: `ls3b-${pid}` };
  // Two links: Alice ⟷ Eve on 10.234.n.0/24, Eve ⟷ Bob on 10.235.n.0/24.
  const addr = { alice: `10.234.${n}.1`, eveToAlice: `10.234.${n}.2`, eveToBob: `10.235.${n}.1`, bob: `10.235.${n}.2` };
  const veth = { ae: `l3ae${pid}`.slice(0, 15), ea: `l3ea${pid}`.slice(0, 15), eb: `l3eb${pid}`.slice(0, 15), be: `l3be${pid}`.slice(0, 15) };
  const created: string[] = [];

  const teardown = () => {
    for (const name of created.splice(0)) ip(['netns', 'del', name]);
    for (const v of [veth.ae, veth.eb]) if (ip(['link', 'show', v]).ok) ip(['link', 'del', v]);
  };
  const run = (args: string[]) => {
    const r = ip(args);
    if (!r.ok) throw new Error(`ip ${args.join(' ')} failed: ${r.output}`);
  };
  const link = (a: string, b: string, nsA: string, nsB: string, addrA: string, addrB: string) => {
    run(['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
    run(['link', 'set', a, 'netns', nsA]);
    run(['link', 'set', b, 'netns', nsB]);
    run(['-n', nsA, 'addr', 'add', `${addrA}/24`, 'dev', a]);
    run(['-n', nsB, 'addr', 'add', `${addrB}/24`, 'dev', b]);
    run(['-n', nsA, 'link', 'set', a, 'up']);
    run(['-n', nsB, 'link', 'set', b, 'up']);
  };

  beforeAll(() => {
    process.once('exit', teardown);
    for (const name of Object.values(ns)) {
      run(['netns', 'add', name]);
      created.push(name);
      run(['-n', name, 'link', 'set', 'lo', 'up']);
    }
    link(veth.ae, veth.ea, ns.alice, ns.eve, addr.alice, addr.eveToAlice);
    link(veth.eb, veth.be, ns.eve, ns.bob, addr.eveToBob, addr.bob);
  });

  afterAll(() => {
    teardown();
    process.removeListener('exit', teardown);
    expect(ip(['netns', 'list']).output).not.toMatch(new RegExp(`ls3[aeb]-${pid}\\b`));
  });

  const inNs = (name: string) => ['ip', 'netns', 'exec', name, ...TSX_PEER];

  async function startAlice(): Promise<{ alice: CliPeer; pin: string }> {
    const alice = peers.spawn(
      ['listen', '--host', addr.alice, '--port', String(ALICE_PORT), '--accept-new', '--json', '--profile-dir', peers.profile('alice'), '--name', 'Alice'],
      { command: inNs(ns.alice), label: 'Alice' },
    );
    const ready = await alice.next(is.type('ready'), 'Alice ready');
    return { alice, pin: String(ready.pin) };
  }

  async function startEve(mode: string, port: number): Promise<CliPeer> {
    const eve = peers.spawn(
      ['eve', '--host', addr.eveToBob, '--listen', String(port), '--forward', `${addr.alice}:${ALICE_PORT}`, '--mode', mode, '--json', '--profile-dir', peers.profile(`eve-${mode}`)],
      { command: inNs(ns.eve), label: `Eve (${mode})` },
    );
    await eve.next(is.type('ready'), `Eve (${mode}) ready`);
    return eve;
  }

  function startBob(evePort: number, alicePin: string, profile = peers.profile('bob')): CliPeer {
    return peers.spawn(['connect', `${addr.eveToBob}:${evePort}`, '--pin', alicePin, '--json', '--profile-dir', profile, '--name', 'Bob'], {
      command: inNs(ns.bob),
      label: 'Bob',
    });
  }

  it('passive Eve sees only ciphertext; the chat goes on; Bob\'s link goes down and up and nothing is lost', async () => {
    const { alice, pin } = await startAlice();
    const eve = await startEve('passive', 47480);
    const bob = startBob(47480, pin);
    bob.write('meet at 6');
    await alice.next(is.message('meet at 6'), 'the first message at Alice');
    alice.write('ok, at 6');
    await bob.next(is.message('ok, at 6'), 'the answer at Bob');
    const connect = await bob.next(is.event('tcp.connect'), "Bob's tcp.connect");
    expect(connect.detail).toMatchObject({ remote: { address: addr.eveToBob, port: 47480 }, local: { address: addr.bob } });
    const accepted = await alice.next(is.event('tcp.accept'), "Alice's tcp.accept");
    expect(accepted.detail).toMatchObject({ remote: { address: addr.eveToAlice } }); // it came from Eve's machine

    run(['-n', ns.bob, 'link', 'set', veth.be, 'down']);
    const during = ['written while the link is down 1', 'written while the link is down 2'];
    for (const line of during) bob.write(line);
    await new Promise((r) => setTimeout(r, 1500));
    run(['-n', ns.bob, 'link', 'set', veth.be, 'up']);
    for (const line of during) await alice.next(is.message(line), `"${line}" at Alice after the link came back`, 90_000);
    for (const line of ['meet at 6', ...during]) expect(alice.ofType('message').filter((m) => m.text === line)).toHaveLength(1);
    expect(eve.stdout).not.toContain('meet at 6');
    expect(eve.stdout).not.toContain('ok, at 6');
  }, 150_000);

  it('tamper across hosts: Alice rejects the altered record; the message arrives once after the reconnect', async () => {
    const { alice, pin } = await startAlice();
    const eve = await startEve('tamper', 47481);
    const bob = startBob(47481, pin);
    bob.write('tamper with this');
    await alice.next(is.event('tls.error', (d) => /integrity|bad.record.mac/i.test(String(d.message) + String(d.code))), "Alice's bad_record_mac");
    await alice.next(is.message('tamper with this'), 'the message after the reconnect', 60_000);
    expect(alice.ofType('message').filter((m) => m.text === 'tamper with this')).toHaveLength(1);
    await eve.next(is.event('drill.verdict', (d) => d.drill === 'tamper'), "Eve's tamper verdict");
  }, 120_000);

  it('impostor across hosts: Bob refuses at the pin check, nothing reaches anyone', async () => {
    const { alice, pin } = await startAlice();
    const eve = await startEve('impostor', 47482);
    const bob = startBob(47482, pin, peers.profile('bob-impostor'));
    bob.write('for Alice only');
    const refused = await bob.next((r) => r.type === 'error' && r.code === 'PIN_MISMATCH', "Bob's PIN_MISMATCH");
    expect(String(refused.message)).toMatch(/not/i);
    expect((await bob.waitExit('Bob exits after the refusal')).code).not.toBe(0);
    expect(alice.ofType('message')).toEqual([]);
    expect(eve.stdout).not.toContain('for Alice only');
  }, 120_000);
});
