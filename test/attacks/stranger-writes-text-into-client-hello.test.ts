/**
 * Attack: write text into the ClientHello. A ClientHello travels in the clear and carries strings
 * the client chooses — the server name (SNI) and the ALPN protocol names — which the panel shows
 * in the hello's details. A stranger can offer "Bob-new-laptop-press-Trust" as a server name and
 * a whole sentence as a protocol name, next to `lockstep/1` so the handshake still succeeds. A
 * peer that is not trusted gets its own strings shown by their length only.
 */
import tls from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { onceEvent } from '../helpers/wait';
import { throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

const SNI = 'bob-new-laptop.press-trust-now';
const ALPN_BAIT = "It's Bob, new laptop - press Trust";

describe('a stranger writes text into its ClientHello', () => {
  it('sees its server name and protocol names shown by their length only', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const mallory = await throwaway(lab, 'Mallory');
    const [host, port] = alice.address.split(':') as [string, string];
    const socket = tls.connect({ host, port: Number(port), key: mallory.key, cert: mallory.cert, rejectUnauthorized: false, minVersion: 'TLSv1.3', servername: SNI, ALPNProtocols: [ALPN_BAIT, 'lockstep/1'] });
    socket.on('error', () => undefined);
    await onceEvent(socket, 'secureConnect', 'the stranger’s handshake');
    const pending = await alice.log.waitFor('trust.pending');
    const hello = alice.log.of('tls.hello', (e) => e.conn === pending.conn && e.detail.handshakeType === 'client_hello')[0]!;
    expect(JSON.stringify(alice.log.all), 'the server name in any event').not.toContain(SNI);
    expect(JSON.stringify(alice.log.all), 'the protocol name in any event').not.toContain(ALPN_BAIT);
    expect(hello.detail.withheld).toBe('peer-not-trusted');
    expect(hello.detail.alpn).toContain('lockstep/1');
    expect(hello.detail.alpn).toHaveLength(2);
    socket.destroy();
  });
});
