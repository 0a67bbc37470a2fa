/**
 * Attack: someone copies a desktop profile folder (a backup, a stolen disk image, another account
 * that can read it) and takes the identity's private key from it, to be "Alice" to every contact
 * that pinned her — no pin check can tell. The history key was already kept wrapped by the OS
 * keystore; identity.key lay beside it in plain PEM. Where a keystore is available, the copy must
 * hold no usable private key. (The keystore is a stand-in: Electron's safeStorage cannot run here.)
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadIdentity } from '../../main/core/identity/identity';
import { openMessenger } from '../../main/core/messenger/messenger';
import { FakeKeystore, otherKeyring } from '../helpers/fake-keystore';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** Every file of a folder, read as the attacker would. */
function filesOf(dir: string): Array<{ name: string; bytes: Buffer }> {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

describe('a copied profile yields the identity key', () => {
  it('with an OS keystore: the copy holds no private key, and cannot be loaded as Alice elsewhere', async () => {
    const keystore = new FakeKeystore();
    const profileDir = temp('lockstep-desktop-');
    const alice = await openMessenger({ profileDir, listen: false, protector: keystore });
    await alice.createIdentity('Alice');
    const { pin, keyPem } = alice.identity;
    await alice.close();

    const copy = join(temp('lockstep-stolen-'), 'profile');
    cpSync(profileDir, copy, { recursive: true });
    const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    for (const { name, bytes } of filesOf(copy)) {
      expect(bytes.includes('PRIVATE KEY'), `${name} holds a PEM private key`).toBe(false);
      expect(bytes.includes(der), `${name} holds the key's DER bytes`).toBe(false);
    }
    // Elsewhere, without this user's keystore: no identity to be had.
    expect(() => loadIdentity(copy, null)).toThrow(expect.objectContaining({ code: 'IDENTITY_KEY_UNAVAILABLE' }));
    expect(() => loadIdentity(copy, new FakeKeystore('gnome_libsecret', true, otherKeyring()))).toThrow(expect.objectContaining({ code: 'IDENTITY_KEY_UNAVAILABLE' }));

    // The owner, with the keystore, still is Alice.
    const again = await openMessenger({ profileDir, listen: false, protector: keystore });
    expect(again.identity.pin).toBe(pin);
    await again.close();
  });
});
