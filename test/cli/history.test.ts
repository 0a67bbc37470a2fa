/**
 * `history`: what a profile stored, read back after the chat is over — both directions, with
 * each message's id, state and times, for one contact (by name or pin) or all, the newest N.
 */
import { describe, expect, it } from 'vitest';

import { type CliRecord, is, startListener, usePeers } from '../helpers/cli-peer';

describe('the headless peer\'s history', () => {
  const peers = usePeers();

  it('prints the stored conversation after the chat, filtered by contact name or pin and limited to the newest', async () => {
    const bobDir = peers.profile('bob');
    const aliceDir = peers.profile('alice');
    const bob = await startListener(peers, bobDir, 'Bob', ['--accept-new']);
    const alice = peers.spawn(['connect', bob.address, '--pin', bob.pin, '--json', '--profile-dir', aliceDir, '--name', 'Alice'], { label: 'alice' });
    await alice.next(is.type('connected'), 'alice connected');
    alice.write('one');
    alice.write('two');
    const ids = [String((await alice.next(is.type('queued'), 'queued one')).id), String((await alice.next(is.type('queued'), 'queued two')).id)];
    for (const id of ids) await alice.next(is.delivered(id), `delivered ${id}`);
    await bob.peer.next(is.message('two'), 'bob has both');
    bob.peer.write('three');
    const three = await alice.next(is.message('three'), 'alice has the reply');
    alice.end();
    bob.peer.end();
    expect(await alice.waitExit()).toEqual({ code: 0, signal: null });
    expect(await bob.peer.waitExit()).toEqual({ code: 0, signal: null });

    const history = async (args: string[]) => {
      const p = peers.spawn(['history', '--json', '--profile-dir', aliceDir, ...args], { label: `history ${args.join(' ')}` });
      const exit = await p.waitExit();
      expect(p.nonJson).toEqual([]);
      return { exit, records: p.records };
    };
    const all = await history([]);
    expect(all.exit).toEqual({ code: 0, signal: null });
    const rows = all.records.filter((r) => r.type === 'history');
    expect(rows.map((r) => [r.direction, r.text, r.state])).toEqual([
      ['out', 'one', 'delivered'],
      ['out', 'two', 'delivered'],
      ['in', 'three', 'received'],
    ]);
    expect(rows.map((r) => r.id)).toEqual([...ids, three.id]);
    expect(rows.every((r) => (r.contact as { name: string; pin: string }).name === 'Bob' && (r.contact as { pin: string }).pin === bob.pin)).toBe(true);
    expect(rows.slice(0, 2).every((r) => typeof r.deliveredAt === 'string' && r.receivedAt === null)).toBe(true);
    expect(typeof rows[2]!.receivedAt).toBe('string');

    const byName = await history(['--contact', 'Bob']);
    const byPin = await history(['--contact', bob.pin]);
    expect(byName.records).toEqual(all.records);
    expect(byPin.records).toEqual(all.records);
    const newest = await history(['--contact', 'Bob', '--limit', '1']);
    expect(newest.records.map((r: CliRecord) => r.text)).toEqual(['three']);

    const nobody = await history(['--contact', 'Nobody']);
    expect(nobody.exit.code).toBe(1);
    expect(nobody.records).toEqual([expect.objectContaining({ type: 'error', code: 'NOT_FOUND' })]);

    const human = peers.spawn(['history', '--profile-dir', aliceDir], { label: 'history (human)' });
    expect(await human.waitExit()).toEqual({ code: 0, signal: null });
    expect(human.stdout).toMatch(/→ Bob \[delivered\] .*: one/);
    expect(human.stdout).toMatch(/← Bob \[received\] .*: three/);
  }, 120_000);

  it('refuses a --limit that is not a whole number from 1, and --contact outside history', async () => {
    for (const args of [['history', '--limit', '0'], ['history', '--limit', 'ten'], ['id', '--contact', 'Bob']]) {
      const p = peers.spawn(args, { label: args.join(' ') });
      expect((await p.waitExit()).code, args.join(' ')).toBe(2);
      expect(p.stderr).toMatch(/--limit|--contact/);
    }
  });
});
