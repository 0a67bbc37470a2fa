import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALL_FEATURES } from '../runtime/runtime-features';
import { makeCerts, type Certs } from '../tls/test-kit';
import { pinOfCertificate } from '../trust/pins';
import { dialerConnectOptions } from './dialer-contexts';
import { runtimeGroups } from './key-exchange-groups';
import type { TlsCredentials, TlsTuning } from './tls-options';

const credsOf = (c: Certs): TlsCredentials => ({ keyPem: c.key.toString(), certPem: c.cert.toString() });

describe('the dialer’s shared TLS contexts', () => {
  let alice: Certs;
  let eve: Certs;
  let listener: Certs;
  let server: tls.Server;
  let port: number;
  /** The pin of the client certificate each accepted connection presented, in order. */
  const presented: string[] = [];

  beforeAll(async () => {
    [alice, eve, listener] = [makeCerts(), makeCerts(), makeCerts()];
    server = tls.createServer({ key: listener.key, cert: listener.cert, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false }, (socket) => {
      const cert = socket.getPeerX509Certificate();
      presented.push(cert ? pinOfCertificate(cert) : 'none');
      socket.end('seen'); // the dialer waits for this, so the server has seen its certificate
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => {
    server.close();
    for (const c of [alice, eve, listener]) c.cleanup();
  });

  /** Dial with these credentials; resolves with the group the handshake chose. */
  async function dialAs(creds: TlsCredentials, tuning: TlsTuning = {}): Promise<string | undefined> {
    const socket = tls.connect({ ...dialerConnectOptions(creds, tuning, ALL_FEATURES), host: '127.0.0.1', port });
    await once(socket, 'secureConnect');
    await once(socket, 'data');
    const group = socket.getEphemeralKeyInfo() as { name?: string };
    socket.destroy();
    await once(socket, 'close');
    return group.name;
  }

  it('builds one context per identity and offer, and reuses it', () => {
    const a = credsOf(alice);
    const first = dialerConnectOptions(a, {}, ALL_FEATURES).secureContext;
    expect(dialerConnectOptions({ ...a }, {}, ALL_FEATURES).secureContext).toBe(first);
    expect(dialerConnectOptions(credsOf(eve), {}, ALL_FEATURES).secureContext).not.toBe(first);
    expect(dialerConnectOptions(a, { groups: ['X25519'] }, ALL_FEATURES).secureContext).not.toBe(first);
  });

  it('an attacker’s identity in the same process never dials with another’s key, nor the other way round', async () => {
    presented.length = 0;
    for (let i = 0; i < 3; i++) {
      await dialAs(credsOf(alice));
      await dialAs(credsOf(eve));
    }
    const [pinA, pinE] = [alice, eve].map((c) => pinOfCertificate(new X509Certificate(c.cert)));
    expect(presented).toEqual([pinA, pinE, pinA, pinE, pinA, pinE]);
  });

  it('a different offer gets its own context: the classical comparison really offers X25519 alone', async () => {
    expect(await dialAs(credsOf(alice), { groups: ['X25519'] })).toBe('X25519');
  });

  it.skipIf(!runtimeGroups().includes('X25519MLKEM768'))('…and the default offer after it still gets the hybrid group', async () => {
    await dialAs(credsOf(alice), { groups: ['X25519'] });
    // Node 22's OpenSSL does not name the hybrid group in getEphemeralKeyInfo(); what matters is
    // that the default offer did not come out of the classical offer's context.
    expect(await dialAs(credsOf(alice))).not.toBe('X25519');
  });
});
