import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import { type DemoPeer, prepareDemoProfiles } from '../../main/core/demo/demo-profiles';
import { type Messenger, openMessenger } from '../../main/core/messenger/messenger';

const opened: Messenger[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((m) => m.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function nextEvent(m: Messenger, kind: string, timeoutMs = 10_000): Promise<LockstepEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${kind} event within ${timeoutMs} ms`)), timeoutMs);
    const off = m.events.subscribe((e) => {
      if (e.kind !== kind) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

async function freePorts(): Promise<[number, number]> {
  const { createServer } = await import('node:net');
  const one = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
  return [await one(), await one()];
}

describe('the one-laptop demo profiles', () => {
  it('makes Alice and Bob, each pinned and verified in the other, and chatting needs no prompt', async () => {
    const profilesDir = mkdtempSync(join(tmpdir(), 'lockstep-demo-'));
    dirs.push(profilesDir);
    const [pa, pb] = await freePorts();
    const peers: [DemoPeer, DemoPeer] = [
      { profile: 'alice', name: 'Alice', port: pa },
      { profile: 'bob', name: 'Bob', port: pb },
    ];
    await prepareDemoProfiles({ profilesDir, peers });
    await prepareDemoProfiles({ profilesDir, peers }); // idempotent: a second launch keeps everything

    const alice = await openMessenger({ profileDir: join(profilesDir, 'alice'), listen: { host: '127.0.0.1', port: pa }, unknownPeers: 'refuse' });
    const bob = await openMessenger({ profileDir: join(profilesDir, 'bob'), listen: { host: '127.0.0.1', port: pb }, unknownPeers: 'refuse' });
    opened.push(alice, bob);
    const [bobInAlice] = alice.contacts.list();
    const [aliceInBob] = bob.contacts.list();
    expect(alice.contacts.list()).toHaveLength(1);
    expect(bob.contacts.list()).toHaveLength(1);
    expect(bobInAlice!.pin).toBe(bob.identity.pin);
    expect(aliceInBob!.pin).toBe(alice.identity.pin);
    expect(bobInAlice!.verified && aliceInBob!.verified).toBe(true);
    expect(bobInAlice!.address).toBe(`127.0.0.1:${pb}`);

    const received = nextEvent(bob, 'message.received');
    alice.send(bobInAlice!.id, 'meet at 6');
    await received;
    expect(bob.messages.page(aliceInBob!.id, undefined, 10).map((m) => m.text)).toEqual(['meet at 6']);
  });
});
