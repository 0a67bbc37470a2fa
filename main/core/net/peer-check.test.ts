import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';

import { describe, expect, it } from 'vitest';

import type { CertificateSummary, EventInput } from '../../../shared/events';
import { KeyExchangeTracker } from '../tls/key-exchange';
import { makeCerts } from '../tls/test-kit';
import { ALPN } from '../wire/protocol';
import type { Connection } from './connection';
import { claimedName, inspectSecured } from './peer-check';

const withSubject = (subject: string) => ({ subject }) as CertificateSummary;

describe('claimedName', () => {
  it('undoes the RFC 4514 escapes Node prints in a subject', () => {
    expect(claimedName(withSubject('CN=Doe\\, John'))).toBe('Doe, John');
    expect(claimedName(withSubject('CN=\\#1 fan'))).toBe('#1 fan');
    expect(claimedName(withSubject('CN=back\\\\slash'))).toBe('back\\slash');
    expect(claimedName(withSubject('CN=Zo\\C3\\AB'))).toBe('Zoë');
  });

  it('cleans what it finds: an escaped control and a direction override are gone', () => {
    expect(claimedName(withSubject('CN=\u202eboB\\07x'))).toBe('boBx');
    expect(claimedName(withSubject('O=Example\nCN=Bo\u200bb'))).toBe('Bob');
  });

  it('a missing or invisible CN is "Unnamed"', () => {
    expect(claimedName(withSubject('O=Example'))).toBe('Unnamed');
    expect(claimedName(withSubject('CN=\u200b\\1B'))).toBe('Unnamed');
  });
});

describe('inspectSecured', () => {
  it('refuses a connection that is not TLS 1.3, whatever the runtime made of minVersion', async () => {
    const certs = makeCerts();
    const server = tls.createServer({ key: certs.key, cert: certs.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ALPNProtocols: [ALPN] });
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const socket = tls.connect({ host: '127.0.0.1', port, key: certs.key, cert: certs.cert, rejectUnauthorized: false, maxVersion: 'TLSv1.2', ALPNProtocols: [ALPN] });
      await once(socket, 'secureConnect');
      const events: EventInput[] = [];
      const ctx = { conn: 'c1', role: 'dialer' as const, origin: 'peer' as const, emit: (e: EventInput) => events.push(e), revealSecrets: false, handshakeTimeoutMs: 5000 };
      expect(socket.getProtocol()).toBe('TLSv1.2');
      expect(() => inspectSecured(socket, { keyExchange: new KeyExchangeTracker() } as unknown as Connection, ctx, 0, 'x')).toThrow(expect.objectContaining({ code: 'VERSION_UNSUPPORTED' }));
      socket.destroy();
    } finally {
      server.close();
      certs.cleanup();
    }
  });
});
