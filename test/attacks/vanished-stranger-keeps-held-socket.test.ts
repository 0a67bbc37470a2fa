/**
 * Attack: knock, get held for the user's decision, then vanish without a FIN (cable pulled, host
 * powered off). Without TCP keepalive the kernel never notices, and the held socket counts against
 * the caps until the request expires. The listener turns keepalive on for every held socket, so
 * the kernel probes a silent peer; this test reads the kernel's own view of that socket with `ss`.
 */
import { execFileSync } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

/** The kernel's timer column for the listener's end of one TCP connection (`ss -o`). */
function listenerSideTimer(listenerPort: string, dialerPort: number): string {
  const out = execFileSync('ss', ['-tnoH', 'state', 'established', `( sport = :${listenerPort} and dport = :${dialerPort} )`], { encoding: 'utf8' });
  const lines = out.trim().split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return /timer:\((\w+)/.exec(lines[0] ?? '')?.[1] ?? 'none';
}

describe('a held stranger vanishes without closing', () => {
  it('is probed by TCP keepalive on the held socket', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const client = await knock(alice.address, await throwaway(lab, 'Stranger'));
    const listenerPort = alice.address.split(':').pop() as string;
    const dialerPort = client.socket.localPort as number;
    client.send(hello('Stranger'));
    await alice.log.waitFor('trust.pending');
    // Right after the handshake the kernel may still show the retransmit timer ("on") of the
    // listener's last write; once that is acked, the armed timer is keepalive's, or none at all.
    let timer = listenerSideTimer(listenerPort, dialerPort);
    for (let i = 0; i < 30 && timer === 'on'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      timer = listenerSideTimer(listenerPort, dialerPort);
    }
    expect(timer).toBe('keepalive');
  });
});
