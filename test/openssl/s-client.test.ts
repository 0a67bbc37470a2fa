/**
 * A foreign client, `openssl s_client`, speaking the Lockstep protocol by hand: with its own
 * certificate it chats with a Lockstep peer in JSON lines; TLS 1.2 or no certificate is refused.
 */
import { execFileSync } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import { makeCert, opensslPin } from '../helpers/openssl';
import { Lab, type Peer } from '../helpers/profiles';
import { SClient } from '../helpers/s-client';

const lab = new Lab();
const clients: SClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  await lab.cleanup();
});

const opensslVersion = execFileSync('openssl', ['version']).toString().trim();

function sClient(o: Parameters<typeof SClient.start>[0]): SClient {
  const c = SClient.start(o);
  clients.push(c);
  return c;
}

/** Type hello and a message; check the peer's hello, the ack and what arrived at the peer. */
async function chat(bob: Peer, client: SClient, pin: string) {
  client.type({ type: 'hello', v: 1, name: 'openssl' });
  const hello = await client.next((f) => f.type === 'hello', "the Lockstep peer's hello");
  expect(hello).toMatchObject({ type: 'hello', v: 1, name: 'Bob' });
  const ready = await bob.log.waitFor('conn.ready');
  expect(ready.detail).toMatchObject({ role: 'listener', peerName: 'openssl', peerPin: pin });

  client.type({ type: 'msg', id: 'ossl-1', at: new Date().toISOString(), text: 'hello from openssl' });
  expect(await client.next((f) => f.type === 'ack', 'an ack')).toEqual({ type: 'ack', id: 'ossl-1' });
  const received = await bob.log.waitFor('message.received', (e) => e.detail.messageId === 'ossl-1');
  expect(bob.m.contacts.byId(received.detail.contactId)?.pin).toBe(pin);
  expect(bob.m.messages.page(received.detail.contactId, undefined, 10).map((m) => m.text)).toEqual(['hello from openssl']);

  const reply = bob.m.send(received.detail.contactId, 'hello, openssl ✓');
  const msg = await client.next((f) => f.type === 'msg', "the peer's message");
  expect(msg).toMatchObject({ type: 'msg', id: reply.id, text: 'hello, openssl ✓' });
  client.type({ type: 'ack', id: reply.id });
  await bob.log.waitFor('message.delivered', (e) => e.detail.messageId === reply.id);
  expect(bob.log.of('app.error')).toEqual([]);
}

describe(`openssl s_client (${opensslVersion}) as a Lockstep client`, () => {
  it("chats once trusted on first use (listener policy 'accept')", async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'openssl');
    const client = sClient({ address: bob.address, version: '-tls1_3', cert });
    await chat(bob, client, opensslPin(cert.certPath));
    expect(bob.log.of('trust.decision')[0]?.detail.decision).toBe('auto-trusted');
  });

  it("chats once the user trusts it (listener policy 'ask')", async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'ask' });
    const cert = makeCert(lab.tempDir(), 'openssl');
    const client = sClient({ address: bob.address, version: '-tls1_3', cert });
    const pending = await bob.log.waitFor('trust.pending');
    expect(pending.detail).toMatchObject({ claimedName: 'openssl', pin: opensslPin(cert.certPath) });
    // Nothing is sent to an undecided client: not even the hello.
    expect(bob.log.of('frame.out')).toEqual([]);
    expect(client.lines).toEqual([]);
    bob.m.decide(pending.detail.requestId, 'trust');
    await chat(bob, client, opensslPin(cert.certPath));
  });

  it('is refused with TLS 1.2: the handshake fails and the listener reports tls.error', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'old');
    const client = sClient({ address: bob.address, version: '-tls1_2', cert });
    const code = await client.waitExit();
    expect(code).not.toBe(0);
    const error = await bob.log.waitFor('tls.error');
    expect(`${error.detail.code} ${error.detail.message}`).toMatch(/version/i);
    expect(bob.log.of('tls.secure')).toEqual([]);
    expect(client.lines).toEqual([]);
    expect(client.stderr).toMatch(/alert|protocol version|error/i);
  });

  it('is refused without a certificate', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const client = sClient({ address: bob.address, version: '-tls1_3' });
    const check = await bob.log.waitFor('trust.check');
    expect(check.detail).toMatchObject({ verdict: 'no-certificate', presented: null });
    client.type({ type: 'hello', v: 1, name: 'anonymous' });
    await client.waitExit('openssl s_client to be disconnected');
    expect(client.lines).toEqual([]);
    expect(bob.log.of('frame.in')).toEqual([]);
    expect(bob.log.of('frame.out')).toEqual([]);
    expect(bob.m.contacts.list()).toEqual([]);
  });
});
