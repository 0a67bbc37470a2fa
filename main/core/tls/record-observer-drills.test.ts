/**
 * The observer in the situations the drills and odd peers create: a bit flipped in flight
 * (integrity), a HelloRetryRequest, ALPN and SNI in the ClientHello.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HelloSummary } from '../../../shared/events';
import { appPlaintext, collect, eventually, makeCerts, once, openPair, recordsOf, type Certs } from './test-kit';

let certs: Certs;
beforeAll(() => {
  certs = makeCerts();
});
afterAll(() => certs.cleanup());

it('tamper: a bit flipped in flight fails the tag; the receiver rejects it and says so with an alert', async () => {
  const pair = await openPair({ certs });
  pair.server.on('error', () => {});
  pair.client.on('error', () => {});
  await new Promise<void>((resolve) => pair.server.write('ready\n', () => resolve()));
  await collect(pair.client, 6);
  const serverError = once(pair.server, 'error');
  pair.clientTap.transformOutbound = (chunk) => {
    pair.clientTap.transformOutbound = undefined;
    const copy = Buffer.from(chunk);
    copy[copy.length - 1]! ^= 0x01; // the last byte of the tag
    return copy;
  };
  pair.client.write('{"type":"msg","text":"pay 100"}\n');
  const err = (await serverError) as Error & { code?: string };
  expect(err.code).toMatch(/BAD_RECORD_MAC|DECRYPTION_FAILED/);
  const tampered = await eventually(pair.events.listener, (e) => e.kind === 'tls.record' && e.dir === 'in' && !!e.detail.undecryptable);
  expect(tampered.kind === 'tls.record' && tampered.detail.undecryptable).toMatch(/^tag mismatch at application sequence 0/);
  expect(appPlaintext(recordsOf(pair.events.listener, 'in'))).toBe('');
  // The server's answer is an encrypted bad_record_mac alert, opened by the dialer's observer.
  const alert = await eventually(pair.events.dialer, (e) => e.kind === 'tls.error');
  expect(alert.detail).toMatchObject({ code: 'TLS_ALERT', alert: 'bad_record_mac' });
  pair.client.destroy();
  pair.server.destroy();
});

it('follows a HelloRetryRequest and still decrypts everything', async () => {
  // The client's default key share is X25519 only; a server that accepts only P-256 must ask again.
  const pair = await openPair({ certs, server: { ecdhCurve: 'prime256v1' } });
  const got = collect(pair.server, 3);
  pair.client.write('hi\n');
  await got;
  await pair.close();
  const hellos = pair.events.dialer.flatMap((e) => (e.kind === 'tls.hello' ? [e.detail] : []));
  expect(hellos.map((h) => h.handshakeType)).toEqual(['client_hello', 'hello_retry_request', 'client_hello', 'server_hello']);
  expect(hellos[1]!.groups).toEqual(['secp256r1']);
  expect(hellos[2]!.keyShares.map((k) => k.group)).toEqual(['secp256r1']);
  expect(hellos[3]!.groups).toEqual(['secp256r1']);
  expect(recordsOf(pair.events.listener).filter((r) => r.encrypted && !r.decrypted)).toEqual([]);
  expect(appPlaintext(recordsOf(pair.events.listener, 'in'))).toBe('hi\n');
});

it('shows ALPN and SNI from the ClientHello, as Node sent them', async () => {
  const pair = await openPair({ certs, client: { ALPNProtocols: ['lockstep/1'], servername: 'peer.lockstep.test' }, server: { ALPNProtocols: ['lockstep/1'] } });
  expect(pair.client.alpnProtocol).toBe('lockstep/1');
  await pair.close();
  const hello = pair.events.listener.find((e) => e.kind === 'tls.hello')!.detail as HelloSummary;
  expect(hello.alpn).toEqual(['lockstep/1']);
  expect(hello.serverName).toBe('peer.lockstep.test');
  expect(hello.extensions).toEqual(expect.arrayContaining(['server_name', 'application_layer_protocol_negotiation', 'key_share', 'supported_versions']));
  expect(hello.sessionIdLength).toBe(32);
});
