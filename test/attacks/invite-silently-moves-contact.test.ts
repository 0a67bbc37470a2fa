/**
 * Attack: an invite that carries a known contact's pin (pins are public: invites, mDNS) with the
 * attacker's address and another name. Adding it quietly moved the contact: every later dial went
 * to the attacker's relay (which can watch the traffic's shape, or cut it), and a name the user
 * trusts could be swapped. The key check still holds — but an invite must never change a contact
 * without saying what changes and getting a yes.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { formatInvite } from '../../main/core/trust/invite';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await lab.cleanup();
});

describe('an invite silently moves a known contact', () => {
  it('is refused with INVITE_CHANGES_CONTACT naming each change; only a confirmed invite changes the contact', async () => {
    let dialled = 0;
    const relay = net.createServer((socket) => {
      dialled += 1;
      socket.destroy();
    });
    servers.push(relay);
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as net.AddressInfo).port;

    const bob = await lab.peer('Bob');
    const alice = await lab.peer('Alice', { listen: false });
    const known = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    const invite = formatInvite({ host: '127.0.0.1', port: relayPort, pin: bob.m.identity.pin, name: 'Bank support' });

    let refusal: unknown = null;
    try {
      alice.m.addContactFromInvite(invite);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({ code: 'INVITE_CHANGES_CONTACT', details: { contactId: known.id } });
    expect((refusal as Error).message).toContain(`address from "${bob.address}" to "127.0.0.1:${relayPort}"`);
    expect((refusal as Error).message).toContain('name from "Bob" to "Bank support"');
    expect(alice.m.contacts.byId(known.id)).toMatchObject({ address: bob.address, name: 'Bob' });
    await alice.m.connect(known.id);
    expect(dialled).toBe(0);

    // What the confirmation shows before anyone says yes.
    const preview = alice.m.previewInvite(invite);
    expect(preview.existing).toMatchObject({ contactId: known.id, name: 'Bob', address: bob.address });
    expect(preview.changes).toEqual([
      { field: 'name', from: 'Bob', to: 'Bank support' },
      { field: 'address', from: bob.address, to: `127.0.0.1:${relayPort}` },
    ]);

    // The user read the changes and said yes: now, and only now, the contact moves.
    const moved = alice.m.addContactFromInvite(invite, { confirmChanges: true });
    expect(moved).toMatchObject({ id: known.id, address: `127.0.0.1:${relayPort}`, name: 'Bank support', pin: bob.m.identity.pin });
  });
});
