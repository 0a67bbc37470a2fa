/**
 * Attack: a stranger dials with a certificate whose name only *looks* like a contact's — "Bоb"
 * with a Cyrillic о, a zero-width space inside, a right-to-left override that shows "boB" as
 * "Bob", a Greek capital beta, full-width letters. The namesake warning compared names letter by
 * letter, so each of these was shown as an ordinary newcomer, not as a possible impersonation.
 * The certificate is made by openssl, so no Lockstep code cleans the name before the listener.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { LineClient } from '../helpers/raw-client';

const lab = new Lab();
const clients: LineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await lab.cleanup();
});

/** An openssl certificate whose CN is exactly these UTF-8 characters. */
function certNamed(dir: string, cn: string): { key: Buffer; cert: Buffer } {
  const keyPath = join(dir, 'lookalike.key');
  const certPath = join(dir, 'lookalike.crt');
  execFileSync('openssl', ['req', '-x509', '-utf8', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', keyPath, '-out', certPath], { stdio: 'pipe' });
  return { key: readFileSync(keyPath), cert: readFileSync(certPath) };
}

// eslint-disable-next-line no-control-regex -- what must not be there
const BIDI_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('a look-alike name evades the namesake warning', () => {
  it.each([
    ['a Cyrillic о', 'B\u043eb'],
    ['a zero-width space', 'Bo\u200bb'],
    ['a right-to-left override showing "boB" as "Bob"', '\u202eboB'],
    ['a Greek capital beta', '\u0392ob'],
    ['full-width letters', '\uff22\uff4f\uff42'],
  ])('%s: the request is flagged as claiming a known name, and the name is stored clean', async (_label, lookalike) => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    const realBob = await lab.peer('Bob', { listen: false });
    alice.m.trustKey({ name: 'Bob', pin: realBob.m.identity.pin });

    const client = await LineClient.connect(alice.address, certNamed(lab.tempDir(), lookalike));
    clients.push(client);
    const pending = await alice.log.waitFor('trust.pending');
    expect(pending.detail.claimsKnownName, `"${lookalike}" claims to be Bob`).toBe(true);
    expect(pending.summary).toMatch(/^WARNING: .*possible impersonation/);
    expect(pending.detail.claimedName).not.toMatch(BIDI_OR_CONTROL);
    const [request] = alice.m.requests();
    expect(request).toMatchObject({ claimsKnownName: true });

    // Trusted anyway, the newcomer is its own contact, labelled as not the Bob Alice knows.
    const contact = alice.m.decide(request!.id, 'trust');
    expect(contact?.pin).not.toBe(realBob.m.identity.pin);
    expect(contact?.name).toMatch(/new key — not the Bob you know/);
    expect(contact?.name).not.toMatch(BIDI_OR_CONTROL);
  });

  it('a different name is no namesake: "Rob" is not flagged', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask' });
    alice.m.trustKey({ name: 'Bob', pin: `sha256/${Buffer.alloc(32, 7).toString('base64')}` });
    const client = await LineClient.connect(alice.address, certNamed(lab.tempDir(), 'Rob'));
    clients.push(client);
    const pending = await alice.log.waitFor('trust.pending');
    expect(pending.detail).toMatchObject({ claimedName: 'Rob', claimsKnownName: false });
  });
});
