/**
 * Two real engines over loopback: the group they agree on, and what both sides' events say about
 * it. Expected sizes come from the specifications, not from the parser: FIPS 203 (ML-KEM-768,
 * k = 3, du = 10, dv = 4) and RFC 7748 (X25519, 32-byte keys).
 */
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { KeyExchangeSummary } from '../../shared/events';
import { runtimeGroups } from '../../main/core/net/key-exchange-groups';
import { opensslPin } from '../helpers/openssl';
import { Lab, type Peer } from '../helpers/profiles';

const K = 3;
const ML_KEM_768_EK = 384 * K + 32;
const ML_KEM_768_CT = 32 * (10 * K + 4);
const X25519 = 32;

const lab = new Lab();
afterEach(() => lab.cleanup());

async function connectedPair(listener: Parameters<Lab['peer']>[1] = {}, dialer: Parameters<Lab['peer']>[1] = {}): Promise<{ alice: Peer; bob: Peer }> {
  const bob = await lab.peer('Bob', { unknownPeers: 'accept', ...listener });
  const alice = await lab.peer('Alice', { listen: false, ...dialer });
  const contact = alice.m.addContact({ address: bob.address, pin: opensslPin(join(bob.dir, 'identity.crt')) });
  alice.m.want(contact.id);
  await alice.log.waitFor('conn.ready');
  await bob.log.waitFor('conn.ready');
  return { alice, bob };
}

const secureOf = (p: Peer) => p.log.of('tls.secure')[0]!.detail;
const exchangeOf = (p: Peer): KeyExchangeSummary => secureOf(p).keyExchange!;

describe('key exchange between two engines', () => {
  it('this runtime has the hybrid group (Node 22 and later ship OpenSSL 3.5)', () => {
    expect(runtimeGroups()).toEqual(['X25519MLKEM768', 'X25519', 'P-256']);
  });

  it('two current peers agree on X25519MLKEM768, and both sides say so with the shares and their parts', async () => {
    const { alice, bob } = await connectedPair();
    for (const p of [alice, bob]) {
      expect(secureOf(p).group).toBe('X25519MLKEM768');
      const kx = exchangeOf(p);
      expect(kx).toMatchObject({ chosen: 'X25519MLKEM768', postQuantum: true, helloRetry: false });
      expect(kx.offered).toEqual(['X25519MLKEM768', 'X25519', 'secp256r1']);
      // The hybrid share and a plain X25519 one, so a peer without the hybrid needs no second ClientHello.
      expect(kx.clientShares).toEqual([
        { group: 'X25519MLKEM768', length: ML_KEM_768_EK + X25519, parts: [{ name: 'ML-KEM-768 encapsulation key', length: ML_KEM_768_EK }, { name: 'X25519 public key', length: X25519 }] },
        { group: 'X25519', length: X25519, parts: [{ name: 'X25519 public key', length: X25519 }] },
      ]);
      expect(kx.serverShare).toEqual({ group: 'X25519MLKEM768', length: ML_KEM_768_CT + X25519, parts: [{ name: 'ML-KEM-768 ciphertext', length: ML_KEM_768_CT }, { name: 'X25519 public key', length: X25519 }] });
      expect(kx.clientHelloBytes).toBeGreaterThan(ML_KEM_768_EK + 2 * X25519);
      expect(kx.serverHelloBytes).toBeGreaterThan(ML_KEM_768_CT + X25519);
    }
    // The independent decryptor opened every record of the hybrid connection, and the witness agreed.
    for (const p of [alice, bob]) {
      expect(p.log.of('tls.record', (e) => e.detail.undecryptable !== undefined)).toEqual([]);
      expect(p.log.of('tls.record', (e) => e.detail.decrypted?.epoch === 'application').length).toBeGreaterThan(0);
      expect(p.log.of('tls.witness').length).toBeGreaterThan(0);
      expect(p.log.of('tls.witness', (e) => !e.detail.equal)).toEqual([]);
    }
    // Both sides read the same hellos.
    expect(exchangeOf(alice)).toEqual(exchangeOf(bob));
    expect(alice.log.of('tls.secure')[0]!.summary).toContain('X25519MLKEM768 (post-quantum hybrid');
  });

  it('a listener that offers X25519 alone gets X25519 at once (the dialer sent an X25519 share too), and both say so', async () => {
    const { alice, bob } = await connectedPair({ tuning: { groups: ['X25519'] } });
    for (const p of [alice, bob]) {
      expect(secureOf(p).group).toBe('X25519');
      expect(exchangeOf(p)).toMatchObject({ chosen: 'X25519', postQuantum: false, helloRetry: false, serverShare: { group: 'X25519', length: X25519 } });
    }
    expect(bob.log.of('tls.secure')[0]!.summary).not.toContain('post-quantum');
  });

  it('a dialer that offers X25519 alone sends one 32-byte share and gets X25519', async () => {
    const { alice, bob } = await connectedPair({}, { tuning: { groups: ['X25519'] } });
    for (const p of [alice, bob]) {
      expect(exchangeOf(p)).toMatchObject({ offered: ['X25519'], chosen: 'X25519', postQuantum: false, clientShares: [{ group: 'X25519', length: X25519 }] });
    }
    expect(exchangeOf(alice).clientHelloBytes).toBeLessThan(ML_KEM_768_EK);
  });

  it('a listener that offers P-256 alone makes the hybrid dialer send a second ClientHello, and the events say it was retried', async () => {
    const { alice, bob } = await connectedPair({ tuning: { groups: ['P-256'] } });
    for (const p of [alice, bob]) {
      expect(exchangeOf(p)).toMatchObject({ chosen: 'secp256r1', postQuantum: false, helloRetry: true, serverShare: { group: 'secp256r1', length: 65 } });
    }
  });

  it('the classical comparison: one redial offers X25519 alone, its verdict carries both handshakes, the next dial is hybrid again', async () => {
    const { alice } = await connectedPair();
    const contactId = alice.log.of('conn.ready')[0]!.detail.contactId;
    alice.m.drills.compareClassical(contactId);
    const verdict = await alice.log.waitFor('drill.verdict', (e) => e.detail.drill === 'classical');
    expect(verdict.detail.outcome).toBe('observed');
    const { hybrid, classical } = verdict.detail.comparison!;
    expect(hybrid).toMatchObject({ group: 'X25519MLKEM768', postQuantum: true });
    expect(classical).toMatchObject({ conn: verdict.conn, group: 'X25519', postQuantum: false });
    // The ServerHellos differ by exactly the ML-KEM-768 ciphertext; the ClientHellos by at least its key.
    expect(hybrid!.serverHelloBytes - classical.serverHelloBytes).toBe(ML_KEM_768_CT);
    expect(hybrid!.clientHelloBytes - classical.clientHelloBytes).toBeGreaterThanOrEqual(ML_KEM_768_EK);
    await alice.log.waitFor('conn.ready', (e) => e.conn === verdict.conn);
    alice.m.disconnect(contactId, 'test: reconnect');
    await alice.log.waitFor('conn.closed', (e) => e.conn === verdict.conn);
    await alice.m.connect(contactId);
    const again = await alice.log.waitFor('tls.secure', () => true, { count: 3 });
    expect(again.detail.group).toBe('X25519MLKEM768');
  });

  it('the classical comparison needs an address to dial, and a contact that exists', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const noAddress = bob.m.trustKey({ pin: alice.m.identity.pin });
    expect(() => bob.m.drills.compareClassical(noAddress.id)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
    expect(() => bob.m.drills.compareClassical('no-such-contact')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
