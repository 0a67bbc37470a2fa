import type { Server } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../../../test/helpers/profiles';
import { createIdentity } from '../identity/identity';
import { ALPN } from '../wire/protocol';

const lab = new Lab();
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.close();
  await lab.cleanup();
});

/**
 * Eve in the middle with her own certificate: she terminates TLS from the dialer and dials the
 * listener herself, relaying the plaintext lines both ways untouched.
 */
async function tlsTerminatingRelay(target: { host: string; port: number }): Promise<number> {
  const eve = await createIdentity(lab.tempDir('lockstep-eve-'), 'Eve');
  const creds = { key: eve.keyPem, cert: eve.certPem, minVersion: 'TLSv1.3' as const, ALPNProtocols: [ALPN] };
  const server = createTlsServer({ ...creds, requestCert: true, rejectUnauthorized: false }, (front) => {
    const back = tlsConnect({ ...creds, host: target.host, port: target.port, rejectUnauthorized: false });
    front.pipe(back).pipe(front);
    const end = () => {
      front.destroy();
      back.destroy();
    };
    front.on('error', end).on('close', end);
    back.on('error', end).on('close', end);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('pairing by code through the messenger', () => {
  it('pins both sides with the right code (typed differently), marks them verified, and the chat goes on', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice = await lab.peer('Alice', { listen: false });
    const code = bob.m.startPairing();
    const contact = await alice.m.pairWith(bob.address, ` ${code.toUpperCase().replace(/-/g, '  ')} `);

    expect(contact.pin).toBe(bob.m.identity.pin);
    expect(contact.verified).toBe(true);
    const [aliceAtBob] = (await bob.log.waitFor('trust.pairing', (e) => e.detail.phase === 'succeeded'), bob.m.contacts.list());
    expect(aliceAtBob?.pin).toBe(alice.m.identity.pin);
    expect(aliceAtBob?.verified).toBe(true);
    expect(bob.m.activePairingCode).toBeNull();

    alice.m.send(contact.id, 'paired, no fingerprints read');
    await bob.log.waitFor('message.received');
    expect(bob.m.messages.page(aliceAtBob!.id, undefined, 5).map((m) => m.text)).toEqual(['paired, no fingerprints read']);
    // Every application byte of the pairing and the chat was seen by the independent decryption.
    expect(alice.log.of('tls.witness').every((e) => e.detail.equal)).toBe(true);
  });

  it('fails on both sides with a wrong code, pins nothing, and uses the code up', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice = await lab.peer('Alice', { listen: false });
    bob.m.startPairing('abandon ability able');
    await expect(alice.m.pairWith(bob.address, 'abandon ability about')).rejects.toMatchObject({ code: 'PAIRING_FAILED' });
    await bob.log.waitFor('trust.pairing', (e) => e.detail.phase === 'failed');
    expect(alice.m.contacts.list()).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
    expect(bob.m.activePairingCode).toBeNull();
    // The right code now finds no pairing open: the dialer is refused as an unknown key.
    await expect(alice.m.pairWith(bob.address, 'abandon ability able')).rejects.toMatchObject({ code: 'PAIRING_FAILED' });
  });

  it('refuses a typo in the code before any traffic', async () => {
    const alice = await lab.peer('Alice', { listen: false });
    await expect(alice.m.pairWith('127.0.0.1:9', 'not a real code')).rejects.toMatchObject({ code: 'BAD_PAIRING_CODE' });
    expect(alice.log.of('tcp.connect')).toEqual([]);
  });

  it('fails when Eve relays the connection with her own certificate, even with the right code', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'refuse' });
    const alice = await lab.peer('Alice', { listen: false });
    const code = bob.m.startPairing();
    const evePort = await tlsTerminatingRelay({ host: '127.0.0.1', port: bob.m.network().port! });
    await expect(alice.m.pairWith(`127.0.0.1:${evePort}`, code)).rejects.toMatchObject({ code: 'PAIRING_FAILED' });
    await bob.log.waitFor('trust.pairing', (e) => e.detail.phase === 'failed');
    expect(alice.m.contacts.list()).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
  });

  it('resolves a pending key change when the user pairs again from its card (the change id goes with the pairing)', async () => {
    const bobDir = lab.tempDir('lockstep-bob-');
    const bob1 = await lab.open(bobDir, { unknownPeers: 'accept' });
    await bob1.m.createIdentity('Bob');
    const port = bob1.m.network().port!;
    const alice = await lab.peer('Alice', { listen: false, timeouts: { retryInitialMs: 100 } });
    const bobContact = alice.m.addContact({ address: `127.0.0.1:${port}`, pin: bob1.m.identity.pin, name: 'Bob' });
    await lab.close(bob1.m);
    // Bob reinstalls: a new identity on the same address.
    const bob2 = await lab.open(lab.tempDir('lockstep-bob2-'), { listen: { host: '127.0.0.1', port }, unknownPeers: 'refuse' });
    await bob2.m.createIdentity('Bob');
    await expect(alice.m.connect(bobContact.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    const [change] = alice.m.keyChanges.list();
    expect(change).toBeDefined();

    const code = bob2.m.startPairing();
    const paired = await alice.m.pairWith(`127.0.0.1:${port}`, code, { keyChangeId: change!.id });
    expect(paired.id).toBe(bobContact.id);
    expect(paired.pin).toBe(bob2.m.identity.pin);
    expect(alice.m.keyChanges.list()).toEqual([]);
    expect(alice.log.of('trust.key-change', (e) => e.detail.resolution === 'paired').map((e) => e.detail.changeId)).toEqual([change!.id]);
    const history = alice.m.contacts.pinHistory(bobContact.id);
    expect(history.map((h) => [h.pin, h.retiredAt !== null])).toEqual(
      expect.arrayContaining([
        [bob1.m.identity.pin, true],
        [bob2.m.identity.pin, false],
      ]),
    );
  });

  it('re-pins the contact when its new key pairs with a code shown from its key-change card (listener side)', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const oldBob = await lab.peer('Bob', { listen: false });
    const aliceBob = alice.m.addContact({ address: '127.0.0.1:9', pin: oldBob.m.identity.pin, name: 'Bob' });
    const newBob = await lab.peer('Bob', { listen: false });
    newBob.m.want(newBob.m.addContact({ address: alice.address, pin: alice.m.identity.pin, name: 'Alice' }).id);
    const detected = await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'detected');

    const code = alice.m.startPairing(undefined, { keyChangeId: detected.detail.changeId });
    await newBob.m.pairWith(alice.address, code);
    await alice.log.waitFor('trust.pairing', (e) => e.detail.phase === 'succeeded');
    const bob = alice.m.contacts.byId(aliceBob.id)!;
    expect(bob.pin).toBe(newBob.m.identity.pin);
    expect(bob.verified).toBe(true);
    expect(alice.m.contacts.list().filter((c) => c.pin === newBob.m.identity.pin)).toHaveLength(1);
    expect(alice.m.keyChanges.list()).toEqual([]);
  });

  it('refuses to make a key that is another contact’s the key of the changed contact (KEY_IN_USE)', async () => {
    const alice = await lab.peer('Alice', { listen: false });
    const oldBob = await lab.peer('Bob', { listen: false });
    const carol = await lab.peer('Carol', { unknownPeers: 'refuse' });
    const aliceCarol = alice.m.addContact({ address: carol.address, pin: carol.m.identity.pin, name: 'Carol' });
    // Bob's address now answers with Carol's key: a key change for Bob whose new key is Carol's.
    const aliceBob = alice.m.addContact({ address: carol.address, pin: oldBob.m.identity.pin, name: 'Bob' });
    await expect(alice.m.connect(aliceBob.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    const [change] = alice.m.keyChanges.list();

    const code = carol.m.startPairing();
    await expect(alice.m.pairWith(carol.address, code, { keyChangeId: change!.id })).rejects.toMatchObject({ code: 'KEY_IN_USE' });
    expect(alice.m.contacts.byId(aliceBob.id)!.pin).toBe(oldBob.m.identity.pin);
    expect(alice.m.contacts.byId(aliceCarol.id)!.pin).toBe(carol.m.identity.pin);
    const groups = change!.safetyNumber.split(' ');
    expect(() => alice.m.reverifyKeyChange(change!.id, { allGroupsMatch: true, groups: change!.checkGroups.map((g) => groups[g]!) })).toThrow(
      expect.objectContaining({ code: 'KEY_IN_USE' }),
    );
  });
});
