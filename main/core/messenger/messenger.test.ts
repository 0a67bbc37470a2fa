import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { MessageState } from '../../../shared/views';
import { opensslPin } from '../../../test/helpers/openssl';
import { Lab, type Peer } from '../../../test/helpers/profiles';
import { waitUntil } from '../../../test/helpers/wait';
import { engineHandlers, networkView } from '../api/handlers';

const lab = new Lab();
afterEach(() => lab.cleanup());

/** Every state an outgoing message was in when one of its events was emitted. */
function trackStates(p: Peer, contactId: string, messageId: () => string | null): MessageState[] {
  const states: MessageState[] = [];
  p.m.events.subscribe((e) => {
    const id = messageId();
    if (!id) return;
    const mine = (e.kind === 'frame.out' && e.detail.type === 'msg' && e.detail.id === id) || ((e.kind === 'message.sent' || e.kind === 'message.delivered') && e.detail.messageId === id);
    const state = mine ? p.m.messages.get(contactId, id)?.state : undefined;
    if (state && states.at(-1) !== state) states.push(state);
  });
  return states;
}

const texts = (p: Peer, contactId: string) => p.m.messages.page(contactId, undefined, 100).map((m) => `${m.direction}:${m.text}`);

describe('two engines over loopback', () => {
  it('chat both ways over one connection, each message acknowledged (queued → sent → delivered)', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const bobForAlice = alice.m.addContact({ address: bob.address, pin: opensslPin(join(bob.dir, 'identity.crt')) });
    let firstId: string | null = null;
    const states = trackStates(alice, bobForAlice.id, () => firstId);

    const first = alice.m.send(bobForAlice.id, 'meet at 6');
    firstId = first.id;
    expect(first.state).toBe('queued');
    const delivered = await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === first.id);
    expect(states).toEqual(['queued', 'sent', 'delivered']);
    expect(alice.m.messages.get(first.contactId, first.id)).toMatchObject({ state: 'delivered', deliveredAt: expect.any(String) });

    const received = await bob.log.waitFor('message.received', (e) => e.detail.messageId === first.id);
    const aliceForBob = received.detail.contactId;
    expect(bob.m.contacts.byId(aliceForBob)?.pin).toBe(opensslPin(join(alice.dir, 'identity.crt')));
    expect(texts(bob, aliceForBob)).toEqual(['in:meet at 6']);

    // Bob answers over the same connection (he has no address for Alice: she dialed him).
    const reply = bob.m.send(aliceForBob, 'see you ✓');
    await bob.log.waitFor('message.delivered', (e) => e.detail.messageId === reply.id);
    await alice.log.waitFor('message.received', (e) => e.detail.messageId === reply.id);
    expect(texts(alice, bobForAlice.id)).toEqual(['out:meet at 6', 'in:see you ✓']);
    expect(texts(bob, aliceForBob)).toEqual(['in:meet at 6', 'out:see you ✓']);

    // One connection carried it all, and neither side saw an error.
    expect(alice.log.of('tcp.connect')).toHaveLength(1);
    expect(bob.log.of('tcp.accept')).toHaveLength(1);
    expect(delivered.conn).toBe(alice.log.of('tcp.connect')[0]!.conn);
    for (const p of [alice, bob]) {
      expect(p.log.of('conn.closed')).toEqual([]);
      expect(p.log.of('tls.error')).toEqual([]);
      expect(p.log.of('app.error')).toEqual([]);
    }
  });

  it('greets before anything else: conn.ready on both sides names the peer, TLS 1.3 with lockstep/1', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    await alice.m.connect(contact.id);
    const [aReady, bReady] = await Promise.all([alice.log.waitFor('conn.ready'), bob.log.waitFor('conn.ready')]);
    expect(aReady.detail).toMatchObject({ role: 'dialer', peerName: 'Bob', protocolVersion: 1 });
    expect(bReady.detail).toMatchObject({ role: 'listener', peerName: 'Alice', protocolVersion: 1 });
    for (const p of [alice, bob]) {
      const secure = p.log.of('tls.secure')[0]!.detail;
      expect(secure).toMatchObject({ protocol: 'TLSv1.3', alpn: 'lockstep/1' });
      expect(secure.peerCertificate?.pin).toBe(opensslPin(join((p === alice ? bob : alice).dir, 'identity.crt')));
      // Its own certificate, as the other side received it.
      const other = (p === alice ? bob : alice).log.of('tls.secure')[0]!.detail;
      expect(secure.localCertificate).toEqual(other.peerCertificate);
      expect(secure.localCertificate?.pin).toBe(opensslPin(join(p.dir, 'identity.crt')));
      // The first frame each side sends is its hello.
      expect(p.log.of('frame.out')[0]!.detail.type).toBe('hello');
      expect(p.log.of('frame.in')[0]!.detail.type).toBe('hello');
    }
    // Alice named Bob's contact after his hello.
    expect(alice.m.contacts.byId(contact.id)?.name).toBe('Bob');
    expect(alice.m.connectionState(contact.id)).toBe('ready');
  });

  it('decrypts each side\'s handshake records again once its checks are done, while the connection stays open', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    await alice.m.connect(contact.id);
    await Promise.all([alice.log.waitFor('conn.ready'), bob.log.waitFor('conn.ready')]);
    for (const [p, who] of [[alice, 'Alice'], [bob, 'Bob']] as const) {
      const finished = () => p.log.of('tls.record', (e) => e.detail.decrypted?.epoch === 'handshake' && e.detail.decrypted.handshakeMessages.includes('Finished'));
      await waitUntil(() => finished().length === 2, `${who}: both Finished messages decrypted`);
      expect(p.log.of('conn.closed'), 'decrypted while the connection is open, not at its close').toEqual([]);
    }
  });

  it('shows the message on the wire only encrypted, and the independent decryptor reads it back', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    const text = 'the eagle lands at dawn';
    const msg = alice.m.send(contact.id, text);
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id);
    for (const [p, dir] of [[alice, 'out'], [bob, 'in']] as const) {
      const carrying = p.log.of('tls.record', (e) => e.dir === dir && (e.detail.decrypted?.plaintext ?? '').includes(text));
      expect(carrying.length, `${dir} record carrying the text`).toBe(1);
      const record = carrying[0]!.detail;
      expect(record).toMatchObject({ encrypted: true, contentType: 'application_data' });
      expect(record.decrypted).toMatchObject({ epoch: 'application', innerContentType: 'application_data' });
      expect(record.bodyPreview).not.toContain(Buffer.from(text.slice(0, 8)).toString('hex'));
    }
  });

  it('adds a contact from the listener\'s invite and chats with it', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const invite = networkView(bob.m).invite;
    expect(invite).toBe(`lockstep://${bob.address}?pin=${encodeURIComponent(opensslPin(join(bob.dir, 'identity.crt')))}&name=Bob`);
    const view = await engineHandlers(alice.m).addContactFromInvite({ invite: invite! });
    expect(view).toMatchObject({ name: 'Bob', address: bob.address, pin: bob.m.identity.pin, state: 'offline' });
    const msg = alice.m.send(view.id, 'hello from an invite');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === msg.id);
  });

  it('refuses to add one\'s own pin as a contact, a bad address or a bad pin', async () => {
    const alice = await lab.peer('Alice', { listen: false });
    expect(() => alice.m.addContact({ address: '127.0.0.1:1', pin: alice.m.identity.pin })).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
    expect(() => alice.m.addContact({ address: 'nowhere', pin: alice.m.identity.pin })).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
    expect(() => alice.m.addContact({ address: '127.0.0.1:1', pin: 'sha256/xyz' })).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
    expect(alice.m.contacts.list()).toEqual([]);
  });

  it('reports a peer that is not listening as CONNECT_FAILED, and keeps the message', async () => {
    const bob = await lab.peer('Bob');
    const port = bob.m.network().port;
    await lab.close(bob.m);
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: `127.0.0.1:${port}`, pin: bob.m.identity.pin });
    await expect(alice.m.connect(contact.id)).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    expect(alice.log.of('tcp.error')[0]?.detail.code).toBe('ECONNREFUSED');
    const msg = alice.m.send(contact.id, 'later');
    expect(alice.m.messages.get(msg.contactId, msg.id)?.state).toBe('queued');
  });
});
