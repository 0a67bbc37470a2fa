/**
 * The listener against clients that are not Lockstep peers: no certificate, no ALPN, TLS that
 * never finishes. Real sockets; the listener is a full Messenger with a short handshake timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { makeCert } from '../../../test/helpers/openssl';
import { Lab, type Peer } from '../../../test/helpers/profiles';
import { captureClientHello, LineClient, rawTcp } from '../../../test/helpers/raw-client';
import { waitUntil } from '../../../test/helpers/wait';

const lab = new Lab();
afterEach(() => lab.cleanup());

const HANDSHAKE_MS = 500;

/** The conn id the listener gave to the TCP connection from this local port. */
const connFrom = (bob: Peer, port: number) =>
  bob.log.waitFor('tcp.accept', (e) => e.detail.remote.port === port, { what: `the accept of port ${port}` }).then((e) => e.conn!);

describe('clients that are not Lockstep peers', () => {
  it('refuses a client without a certificate: trust.check no-certificate, connection destroyed', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const client = await LineClient.connect(bob.address); // TLS 1.3 and lockstep/1, but no certificate
    const conn = await connFrom(bob, client.socket.localPort!);
    const check = await bob.log.waitFor('trust.check', (e) => e.conn === conn);
    expect(check.detail).toMatchObject({ role: 'listener', verdict: 'no-certificate', presented: null });
    await client.waitClosed();
    expect(client.frames).toEqual([]);
    expect(bob.log.of('frame.out')).toEqual([]);
    expect(bob.log.of('trust.decision')).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
  });

  it.each([
    ['without ALPN', null],
    ['with another protocol', ['h2', 'http/1.1']],
  ])('refuses a client %s, even with a certificate', async (_label, alpn) => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'NoAlpn');
    let client: LineClient | null = null;
    let handshakeError: Error | null = null;
    try {
      client = await LineClient.connect(bob.address, { key: cert.key, cert: cert.cert, alpn });
    } catch (err) {
      handshakeError = err as Error; // a server may answer no_application_protocol
    }
    const conn = (await bob.log.waitFor('tcp.accept')).conn;
    await bob.log.waitMatch((e) => e.conn === conn && (e.kind === 'tls.error' || (e.kind === 'trust.check' && e.detail.verdict !== 'match')), {
      what: 'the listener to refuse the connection',
    });
    if (client) await client.waitClosed();
    else expect(handshakeError).not.toBeNull();
    expect(client?.frames ?? []).toEqual([]);
    expect(bob.log.of('frame.out')).toEqual([]);
    expect(bob.log.of('trust.decision')).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
    const secure = bob.log.of('tls.secure', (e) => e.conn === conn)[0];
    if (secure) expect(secure.detail.alpn).not.toBe('lockstep/1');
  });

  it('refuses a TLS 1.2 client at the handshake', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'Old');
    await expect(LineClient.connect(bob.address, { key: cert.key, cert: cert.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).rejects.toThrow();
    // The alert the listener sent, as its observer read it off the wire (it may follow OpenSSL's own error).
    const error = await bob.log.waitFor('tls.error', (e) => e.detail.alert === 'protocol_version');
    expect(`${error.detail.code} ${error.detail.message}`).toMatch(/version/i);
    expect(bob.log.of('tls.secure')).toEqual([]);
  });
});

describe('handshakes that never finish', () => {
  async function chatting() {
    const timeouts = { handshakeMs: HANDSHAKE_MS };
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', timeouts });
    const alice = await lab.peer('Alice', { listen: false, timeouts });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    const first = alice.m.send(contact.id, 'before the stragglers');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === first.id);
    const aliceConn = alice.log.of('tcp.connect')[0]!.conn;
    return { bob, alice, contact, aliceConn };
  }

  it('drops a silent TCP connection and half a ClientHello after the handshake timeout, while a real peer keeps chatting', async () => {
    const { bob, alice, contact, aliceConn } = await chatting();
    const hello = await captureClientHello();
    const silent = await rawTcp(bob.address);
    const half = await rawTcp(bob.address);
    half.socket.write(hello.subarray(0, Math.floor(hello.length / 2)));
    const silentConn = await connFrom(bob, silent.socket.localPort!);
    const halfConn = await connFrom(bob, half.socket.localPort!);

    // Meanwhile Alice and Bob keep talking over the connection they already have.
    const during = alice.m.send(contact.id, 'while they hang');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === during.id);

    for (const conn of [silentConn, halfConn]) {
      const error = await bob.log.waitFor('tls.error', (e) => e.conn === conn, { what: `the handshake timeout of ${conn}` });
      expect(error.detail.code).toBe('HANDSHAKE_TIMEOUT');
    }
    await waitUntil(() => silent.closed() && half.closed(), 'the listener to close both stragglers');
    expect(bob.log.of('tls.secure', (e) => e.conn === silentConn || e.conn === halfConn)).toEqual([]);

    // After the stragglers are gone, the real connection is still the same one, and still works both ways.
    const after = alice.m.send(contact.id, 'after they left');
    const delivered = await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === after.id);
    const lost = alice.log.onConn(aliceConn).filter((e) => e.kind === 'conn.closed' || e.kind === 'tls.error').map((e) => JSON.stringify(e.detail));
    expect(delivered.conn, `Alice's first connection was lost and redialed: ${lost.join('; ')}`).toBe(aliceConn);
    const aliceForBob = bob.m.contacts.byPin(alice.m.identity.pin)!.id;
    const reply = bob.m.send(aliceForBob, 'still here');
    await alice.log.waitFor('message.received', (e) => e.detail.messageId === reply.id);
    expect(alice.log.of('conn.closed')).toEqual([]);
    expect(alice.log.of('tls.error')).toEqual([]);
    expect(alice.log.of('tcp.connect')).toHaveLength(1);
  });

  it('drops a client that drips its ClientHello one byte at a time (the deadline is not an idle timer)', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', timeouts: { handshakeMs: HANDSHAKE_MS } });
    const hello = await captureClientHello();
    const drip = await rawTcp(bob.address);
    const conn = await connFrom(bob, drip.socket.localPort!);
    let sent = 0;
    const timer = setInterval(() => {
      if (drip.closed() || sent >= hello.length) return;
      drip.socket.write(hello.subarray(sent, sent + 1));
      sent += 1;
    }, HANDSHAKE_MS / 5);
    try {
      // The whole hello would take ~hello.length/5 deadlines to arrive; it must be cut off long before.
      await waitUntil(() => drip.closed(), 'the listener to drop the dripping client', { timeoutMs: HANDSHAKE_MS * 10 });
    } finally {
      clearInterval(timer);
    }
    expect(sent).toBeLessThan(hello.length);
    expect((await bob.log.waitFor('tls.error', (e) => e.conn === conn)).detail.code).toBe('HANDSHAKE_TIMEOUT');
  });
});

describe('one TLS server per connection, the next one made ahead', () => {
  it('gives each of several connections in a row, a refused one among them, its own keylog and nobody else\'s', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    const conns: string[] = [];
    for (let i = 0; i < 3; i++) {
      await alice.m.connect(contact.id);
      const ready = await bob.log.waitFor('conn.ready', () => true, { count: i + 1 });
      conns.push(ready.conn!);
      const closed = bob.log.waitFor('conn.closed', (e) => e.conn === ready.conn);
      alice.m.disconnect(contact.id, 'next one');
      await closed;
      if (i === 0) {
        // A refused handshake in between: its server is used once too, and the next is made ahead again.
        const client = await LineClient.connect(bob.address);
        conns.push(await connFrom(bob, client.socket.localPort!));
        await client.waitClosed();
      }
    }
    for (const conn of conns) {
      const random = bob.log.of('tls.hello', (e) => e.conn === conn && e.dir === 'in')[0]?.detail.randomPreview;
      const keylog = bob.log.of('tls.keylog', (e) => e.conn === conn);
      expect(random, `${conn}: its ClientHello was seen`).toBeTruthy();
      expect(keylog.length, `${conn}: its own keylog lines arrived`).toBeGreaterThanOrEqual(2);
      expect(keylog.filter((e) => !e.detail.clientRandom.startsWith(random!)), `${conn}: no other connection's keylog line`).toEqual([]);
    }
  });
});
