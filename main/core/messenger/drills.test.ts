import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../../../test/helpers/profiles';

const lab = new Lab();
afterEach(async () => {
  await lab.cleanup();
});

async function pair() {
  const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
  const alice = await lab.peer('Alice', { listen: false, capture: { keepKeys: true }, timeouts: { retryInitialMs: 100, retryMaxMs: 400 } });
  const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
  alice.m.send(contact.id, 'direct');
  await alice.log.waitFor('message.delivered');
  return { alice, bob, contact };
}

function textsAt(bob: Awaited<ReturnType<typeof pair>>['bob']): string[] {
  const [aliceAtBob] = bob.m.contacts.list();
  return bob.m.messages.page(aliceAtBob!.id, undefined, 50).map((m) => m.text);
}

describe('drills started from the app', () => {
  it('eavesdropper: the chat goes on through Eve, and her events carry no message text', async () => {
    const { alice, bob, contact } = await pair();
    await alice.m.drills.startEve(contact.id, 'passive');
    await alice.log.waitFor('conn.ready', () => true, { count: 2, what: 'the connection through Eve' });
    alice.m.send(contact.id, 'meet at 6 — through Eve');
    await alice.log.waitFor('message.delivered', () => true, { count: 2 });
    expect(textsAt(bob)).toContain('meet at 6 — through Eve');
    const eveEvents = alice.log.all.filter((e) => e.conn?.startsWith('eve'));
    expect(eveEvents.some((e) => e.kind === 'drill.eve')).toBe(true);
    expect(JSON.stringify(eveEvents)).not.toContain('meet at 6');
    await alice.m.drills.stopEve();
    expect(alice.m.drills.activeDrill).toBeNull();
  });

  it('tamper: the receiver rejects the altered record, and the message still arrives exactly once', async () => {
    const { alice, bob, contact } = await pair();
    await alice.m.drills.startEve(contact.id, 'tamper');
    await alice.log.waitFor('conn.ready', () => true, { count: 2 });
    alice.m.send(contact.id, 'tampered in flight');
    await bob.log.waitFor('tls.error', (e) => e.detail.failure === 'bad-record-mac');
    await alice.log.waitFor('message.delivered', () => true, { count: 2, timeoutMs: 15_000 });
    expect(textsAt(bob).filter((t) => t === 'tampered in flight')).toHaveLength(1);
    const verdict = await alice.log.waitFor('drill.verdict', (e) => e.detail.drill === 'tamper');
    expect(verdict.detail.outcome).toBe('defeated');
  });

  it('impostor: refused at the pin check before any data, and the drill alarm is dismissed afterwards', async () => {
    const { alice, bob, contact } = await pair();
    await alice.m.drills.startEve(contact.id, 'impostor');
    alice.m.send(contact.id, 'must not reach Eve');
    const check = await alice.log.waitFor('trust.check', (e) => e.detail.verdict === 'mismatch');
    expect(check.detail.expected).toBe(bob.m.identity.pin);
    expect(check.detail.presented).not.toBe(bob.m.identity.pin);
    await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'detected');
    expect(alice.m.keyChanges.list()).toHaveLength(1);
    expect(JSON.stringify(alice.log.all.filter((e) => e.conn?.startsWith('eve')))).not.toContain('must not reach Eve');
    await alice.m.drills.stopEve();
    expect(alice.m.keyChanges.list()).toEqual([]);
    // Direct again: the queued message is delivered once.
    await alice.log.waitFor('message.delivered', () => true, { count: 2, timeoutMs: 15_000 });
    expect(textsAt(bob).filter((t) => t === 'must not reach Eve')).toHaveLength(1);
  });

  it('downgrade: a TLS 1.2-only client is refused with a protocol_version alert', async () => {
    const { alice, contact } = await pair();
    const verdict = await alice.m.drills.downgrade(contact.id);
    expect(verdict).toMatchObject({ drill: 'downgrade', outcome: 'defeated' });
    expect(verdict.reason).toMatch(/protocol_version|TLS 1\.3/);
  });

  it('exports the live connection as a pcap, with the keys only when asked', async () => {
    const { alice, contact } = await pair();
    const conn = alice.m.connection(contact.id).connId!;
    const plain = alice.m.drills.exportCapture(conn, false);
    expect(plain.keys).toBeNull();
    const pcap = Buffer.from(plain.pcapBase64, 'base64');
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4); // libpcap magic, little-endian
    const withKeys = alice.m.drills.exportCapture(conn, true);
    expect(withKeys.keys).toMatch(/^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]+$/m);
  });
});
