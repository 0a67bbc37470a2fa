/**
 * The key exchange as the headless peer reports it: two current peers agree on the hybrid
 * post-quantum group and say so in their `connected` records and their tls.secure events;
 * `--groups X25519` on one side gives a classical handshake that says so too; a bad list is a
 * usage error.
 */
import { describe, expect, it } from 'vitest';

import { type CliPeer, is, startListener, TSX_PEER, usePeers } from '../helpers/cli-peer';
import { spawnSync } from 'node:child_process';

type Secure = { group: string | null; keyExchange: { chosen: string; postQuantum: boolean; offered: string[]; clientShares: { group: string; length: number }[] } };

async function handshakeOf(peer: CliPeer, who: string): Promise<{ connected: Record<string, unknown>; secure: Secure }> {
  const connected = await peer.next(is.type('connected'), `${who}'s "connected" record`);
  const secure = (await peer.next(is.event('tls.secure'), `${who}'s tls.secure event`)).detail as Secure;
  return { connected, secure };
}

describe('the headless peer and the key-exchange group', () => {
  const peers = usePeers();

  async function pair(listenerArgs: string[], dialerArgs: string[]) {
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new', ...listenerArgs]);
    const bob = peers.spawn(['connect', alice.address, '--pin', alice.pin, '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob', ...dialerArgs], { label: 'Bob' });
    const sides = [await handshakeOf(bob, 'Bob'), await handshakeOf(alice.peer, 'Alice')];
    bob.end();
    alice.peer.end();
    return sides;
  }

  it('two current peers show X25519MLKEM768 in their connected and tls.secure records', async () => {
    for (const { connected, secure } of await pair([], [])) {
      expect(connected).toMatchObject({ group: 'X25519MLKEM768', postQuantum: true });
      expect(secure.group).toBe('X25519MLKEM768');
      expect(secure.keyExchange).toMatchObject({ chosen: 'X25519MLKEM768', postQuantum: true, offered: ['X25519MLKEM768', 'X25519', 'secp256r1'] });
    }
  }, 90_000);

  it('--groups X25519 on the dialer: a classical handshake, and both records say X25519', async () => {
    for (const { connected, secure } of await pair([], ['--groups', 'X25519'])) {
      expect(connected).toMatchObject({ group: 'X25519', postQuantum: false });
      expect(secure.keyExchange).toMatchObject({ chosen: 'X25519', postQuantum: false, offered: ['X25519'], clientShares: [{ group: 'X25519', length: 32 }] });
    }
  }, 90_000);

  it('--groups X25519 on the listener: the hybrid dialer still connects, with X25519', async () => {
    for (const { connected } of await pair(['--groups', 'X25519'], [])) expect(connected).toMatchObject({ group: 'X25519', postQuantum: false });
  }, 90_000);

  it('an unknown group is a usage error (exit 2) naming it', () => {
    const [cmd, ...pre] = TSX_PEER;
    const r = spawnSync(cmd!, [...pre, 'listen', '--groups', 'X25519,Kyber512'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown group "Kyber512"');
  });
});
