/**
 * `openssl s_client` choosing the key-exchange group: with `-groups X25519` (a client without the
 * hybrid) it still chats with a Lockstep listener, and the listener's events say X25519; with
 * `-groups X25519MLKEM768` (an OpenSSL with ML-KEM, 3.5 or later) the listener reports the hybrid.
 */
import { execFileSync, spawnSync } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import { makeCert } from '../helpers/openssl';
import { Lab } from '../helpers/profiles';
import { SClient } from '../helpers/s-client';

const lab = new Lab();
const clients: SClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.stop();
  await lab.cleanup();
});

const opensslVersion = execFileSync('openssl', ['version']).toString().trim();
/** Whether this openssl knows ML-KEM (3.5+): its list of key encapsulation methods names it. */
const hasMlKem = /ML-KEM-768/i.test(spawnSync('openssl', ['list', '-kem-algorithms'], { encoding: 'utf8' }).stdout ?? '');
if (!hasMlKem) console.warn(`test/openssl/s-client-groups.test.ts: the X25519MLKEM768 case is skipped: ${opensslVersion} has no ML-KEM (OpenSSL 3.5 or later has)`);

async function handshakeWith(groups: string) {
  const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
  const client = SClient.start({ address: bob.address, version: '-tls1_3', cert: makeCert(lab.tempDir(), 'openssl'), groups });
  clients.push(client);
  client.type({ type: 'hello', v: 1, name: 'openssl' });
  expect(await client.next((f) => f.type === 'hello', "the Lockstep peer's hello")).toMatchObject({ type: 'hello', name: 'Bob' });
  return (await bob.log.waitFor('tls.secure')).detail;
}

describe(`openssl s_client (${opensslVersion}) choosing the group`, () => {
  it('-groups X25519: a client without the hybrid connects, and the listener says X25519', async () => {
    const secure = await handshakeWith('X25519');
    expect(secure.group).toBe('X25519');
    expect(secure.keyExchange).toMatchObject({ offered: ['X25519'], chosen: 'X25519', postQuantum: false, helloRetry: false, clientShares: [{ group: 'X25519', length: 32 }] });
  });

  it.skipIf(!hasMlKem)('-groups X25519MLKEM768: the listener answers with the hybrid and says so', async () => {
    const secure = await handshakeWith('X25519MLKEM768');
    expect(secure.group).toBe('X25519MLKEM768');
    expect(secure.keyExchange).toMatchObject({ chosen: 'X25519MLKEM768', postQuantum: true, serverShare: { length: 1088 + 32 } });
  });
});
