/**
 * Attack: an invite whose authority carries a userinfo part. In
 * `lockstep://bob.corp:47474@127.0.0.1:PORT?pin=…` a person reads "bob.corp:47474", but a URL
 * parser takes everything before the '@' as a user name and password: the contact was saved with
 * the attacker's address, and the next connect dialled it. Such an invite must be refused before
 * anything is saved or dialled.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';

const lab = new Lab();
const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await lab.cleanup();
});

/** The attacker's machine: a real TCP listener that counts who dials it. */
async function attackerHost(): Promise<{ port: number; dialled: () => number }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, dialled: () => count };
}

describe('an invite with a userinfo part redirects the dial', () => {
  it.each([
    ['a host:port before the @', (port: number) => `lockstep://bob.corp:47474@127.0.0.1:${port}`],
    ['a user name only', (port: number) => `lockstep://bob@127.0.0.1:${port}`],
    ['an empty userinfo', (port: number) => `lockstep://@127.0.0.1:${port}`],
    ['an escaped @ in the user name', (port: number) => `lockstep://bob.corp%40x:1@127.0.0.1:${port}`],
  ])('%s: refused with BAD_INVITE; nothing saved, nothing dialled', async (_label, authority) => {
    const attacker = await attackerHost();
    const bob = await lab.peer('Bob', { listen: false });
    const alice = await lab.peer('Alice', { listen: false });
    const invite = `${authority(attacker.port)}?pin=${encodeURIComponent(bob.m.identity.pin)}&name=Bob`;

    let added: { id: string } | null = null;
    try {
      added = alice.m.addContactFromInvite(invite);
    } catch (err) {
      expect(err).toMatchObject({ code: 'BAD_INVITE', message: expect.stringMatching(/user|@/i) });
    }
    if (added) await alice.m.connect(added.id).catch(() => undefined); // what the app does next
    expect(added, 'the invite was accepted').toBeNull();
    expect(alice.m.contacts.list()).toEqual([]);
    expect(attacker.dialled()).toBe(0);
  });
});
