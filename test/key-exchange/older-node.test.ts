/**
 * A peer on the oldest supported Node line (22: OpenSSL 3.5, but its socket reports nothing for a
 * hybrid group) against a current engine: the engine's own dialer, run by that Node, reads the
 * group from the ServerHello on the wire and says which one it got; offering X25519 alone gives a
 * classical handshake on both sides.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import type { EventDetails } from '../../shared/events';
import { ROOT } from '../helpers/cli-peer';
import { Lab } from '../helpers/profiles';

const OLD_NODE = process.env.LOCKSTEP_OLD_NODE ?? '/opt/node/22.23.5/bin/node';
const run = promisify(execFile);
const lab = new Lab();
afterEach(() => lab.cleanup());

async function dialFromOldNode(address: string, pin: string, groups?: string): Promise<{ node: string; secure: EventDetails['tls.secure'] }> {
  const script = join(ROOT, 'test/key-exchange/fixtures/dial-once.ts');
  const { stdout } = await run(OLD_NODE, ['--import', 'tsx', script, lab.tempDir('lockstep-oldnode-'), address, pin, ...(groups ? [groups] : [])], { cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout.trim()) as { node: string; secure: EventDetails['tls.secure'] };
}

// Skipped only where that Node is not installed (LOCKSTEP_OLD_NODE names it; .ci/run sets it to the oldest line it unpacks).
describe.skipIf(!existsSync(OLD_NODE))(`a peer on ${OLD_NODE}`, () => {
  it('negotiates X25519MLKEM768 with a current listener, and both sides name it', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const old = await dialFromOldNode(bob.address, bob.m.identity.pin);
    expect(old.node).toMatch(/^22\./);
    expect(old.secure.group).toBe('X25519MLKEM768');
    expect(old.secure.keyExchange).toMatchObject({ chosen: 'X25519MLKEM768', postQuantum: true });
    const listenerSide = await bob.log.waitFor('tls.secure');
    expect(listenerSide.detail.group).toBe('X25519MLKEM768');
  }, 90_000);

  it('offering X25519 alone connects with X25519, and both sides say so', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const old = await dialFromOldNode(bob.address, bob.m.identity.pin, 'X25519');
    expect(old.secure.keyExchange).toMatchObject({ chosen: 'X25519', postQuantum: false, offered: ['X25519'] });
    const listenerSide = await bob.log.waitFor('tls.secure');
    expect(listenerSide.detail).toMatchObject({ group: 'X25519', keyExchange: { chosen: 'X25519', postQuantum: false } });
  }, 90_000);
});
