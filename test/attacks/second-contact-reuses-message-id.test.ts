/**
 * Attack: a second contact sends a message whose id another contact already used. Message ids
 * were unique across every conversation, so the second message was silently dropped as a
 * "duplicate" — and acknowledged, so its sender believed it delivered. Two openssl users who
 * follow PROTOCOL.md §4 both send `m-1`: both messages must be stored, acknowledged and shown.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { engineHandlers } from '../../main/core/api/handlers';
import { makeCert, opensslPin } from '../helpers/openssl';
import { Lab } from '../helpers/profiles';
import { SClient } from '../helpers/s-client';

const lab = new Lab();
const clients: SClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  await lab.cleanup();
});

describe('a second contact reuses a message id', () => {
  it('stores, acknowledges and shows both m-1 messages, each in its own conversation', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const certDir = lab.tempDir();
    const people = [
      { cert: makeCert(certDir, 'Carol'), text: 'hello from Carol' },
      { cert: makeCert(certDir, 'Dave'), text: 'hello from Dave' },
    ];
    for (const [i, person] of people.entries()) {
      const client = SClient.start({ address: bob.address, version: '-tls1_3', cert: person.cert });
      clients.push(client);
      client.type({ type: 'hello', v: 1, name: i === 0 ? 'Carol' : 'Dave' });
      await client.next((f) => f.type === 'hello', "Bob's hello");
      client.type({ type: 'msg', id: 'm-1', at: '2026-01-01T12:00:00Z', text: person.text });
      expect(await client.next((f) => f.type === 'ack', 'the ack of m-1')).toEqual({ type: 'ack', id: 'm-1' });
    }

    const api = engineHandlers(bob.m);
    for (const person of people) {
      const contact = bob.m.contacts.byPin(opensslPin(person.cert.certPath));
      expect(contact, 'each openssl key became its own contact').not.toBeNull();
      const shown = await api.listMessages({ contactId: contact!.id });
      expect(shown.map((m) => ({ id: m.id, text: m.text, direction: m.direction, problem: m.problem ?? null }))).toEqual([
        { id: 'm-1', text: person.text, direction: 'in', problem: null },
      ]);
    }
    expect(bob.log.of('message.received').map((e) => e.detail.messageId)).toEqual(['m-1', 'm-1']);
  });
});
