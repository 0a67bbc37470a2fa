import { readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { opensslField, opensslPin } from '../../../test/helpers/openssl';
import { FakeKeystore, otherKeyring } from '../../../test/helpers/fake-keystore';
import { Lab } from '../../../test/helpers/profiles';
import { humanFingerprint } from '../trust/pins';
import { createIdentity, identityExists, loadIdentity } from './identity';

const lab = new Lab();
afterAll(() => lab.cleanup());

const YEAR_MS = 365 * 24 * 3600 * 1000;
const files = (dir: string) => ({ key: join(dir, 'identity.key'), cert: join(dir, 'identity.crt'), meta: join(dir, 'identity.json') });

/** Everything in the profile directory, name → bytes: to prove nothing was (re)written. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

async function fresh(name = 'Alice') {
  const dir = lab.tempDir();
  const id = await createIdentity(dir, name);
  return { dir, id, f: files(dir) };
}

describe('createIdentity', () => {
  it('writes the private key with mode 0600', async () => {
    const { f } = await fresh();
    expect(statSync(f.key).mode & 0o777).toBe(0o600);
    expect(readFileSync(f.key, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('makes a self-signed certificate whose CN is the display name (as openssl reads it)', async () => {
    const { f } = await fresh('Alice Liddell');
    expect(opensslField(f.cert, '-subject')).toBe('CN=Alice Liddell');
    expect(opensslField(f.cert, '-issuer')).toBe('CN=Alice Liddell');
  });

  it('escapes names that hold RFC 4514 specials, and keeps non-ASCII names intact', async () => {
    expect(opensslField((await fresh('Doe, John')).f.cert, '-subject')).toBe('CN=Doe\\, John');
    expect(opensslField((await fresh('#1 fan')).f.cert, '-subject')).toBe('CN=\\#1 fan');
    expect(opensslField((await fresh('Zoë ✓')).f.cert, '-subject')).toBe('CN=Zoë ✓');
  });

  it('is an ECDSA P-256 key, valid from the past for many years', async () => {
    const { f } = await fresh();
    const text = readFileSync(f.cert, 'utf8');
    expect(text).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const notBefore = Date.parse(opensslField(f.cert, '-startdate'));
    const notAfter = Date.parse(opensslField(f.cert, '-enddate'));
    expect(notBefore).toBeLessThan(Date.now() - 3600_000);
    expect(notAfter).toBeGreaterThan(Date.now() + 10 * YEAR_MS);
  });

  it('has the pin openssl computes, and its human fingerprint', async () => {
    const { f, id } = await fresh();
    expect(id.pin).toBe(opensslPin(f.cert));
    expect(id.fingerprint).toBe(humanFingerprint(id.pin));
    expect(id.name).toBe('Alice');
  });

  it('gives every identity its own key', async () => {
    const [a, b] = [await fresh(), await fresh()];
    expect(a.id.pin).not.toBe(b.id.pin);
  });

  it('trims the name and refuses an empty or over-long one', async () => {
    expect((await fresh('  Bob  ')).id.name).toBe('Bob');
    for (const bad of ['', '   ', 'n'.repeat(65)]) {
      const dir = lab.tempDir();
      await expect(createIdentity(dir, bad)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      expect(identityExists(dir)).toBe(false);
    }
  });

  it('refuses to overwrite an existing identity', async () => {
    const { dir } = await fresh();
    const before = snapshot(dir);
    await expect(createIdentity(dir, 'Mallory')).rejects.toMatchObject({ code: 'IDENTITY_EXISTS' });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('loadIdentity', () => {
  it('returns null for a profile that never had an identity', () => {
    expect(loadIdentity(lab.tempDir())).toBeNull();
  });

  it('loads the same key, pin and name on every run', async () => {
    const { dir, id, f } = await fresh();
    const again = loadIdentity(dir);
    expect(again).toEqual(id);
    expect(again?.pin).toBe(opensslPin(f.cert));
  });

  type Damage = [label: string, damage: (f: ReturnType<typeof files>, other: ReturnType<typeof files>) => void, code: string];
  const damages: Damage[] = [
    ['the key file is missing', (f) => rmSync(f.key), 'IDENTITY_MISSING'],
    ['the certificate is missing', (f) => rmSync(f.cert), 'IDENTITY_MISSING'],
    ['the description is missing', (f) => rmSync(f.meta), 'IDENTITY_MISSING'],
    ['the certificate is garbage', (f) => writeFileSync(f.cert, '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n'), 'IDENTITY_CORRUPT'],
    ['the certificate is truncated', (f) => writeFileSync(f.cert, readFileSync(f.cert, 'utf8').slice(0, 200)), 'IDENTITY_CORRUPT'],
    ['the key is garbage', (f) => writeFileSync(f.key, 'hello'), 'IDENTITY_CORRUPT'],
    ['the key belongs to another certificate', (f, other) => writeFileSync(f.key, readFileSync(other.key)), 'IDENTITY_CORRUPT'],
    ['the description is not JSON', (f) => writeFileSync(f.meta, '{"name":'), 'IDENTITY_CORRUPT'],
  ];

  it.each(damages)('reports %s, and writes no new identity', async (_label, damage, code) => {
    const { dir, f } = await fresh();
    const other = (await fresh('Other')).f;
    damage(f, other);
    const before = snapshot(dir);
    expect(() => loadIdentity(dir)).toThrow(expect.objectContaining({ code }));
    // Opening the profile as a messenger fails the same way and does not repair it with a new key.
    await expect(lab.open(dir, { listen: false })).rejects.toMatchObject({ code });
    await expect(createIdentity(dir, 'Alice')).rejects.toMatchObject({ code: 'IDENTITY_EXISTS' });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('the private key under the OS keystore', () => {
  it('a new identity with a real keystore: only identity.key.wrapped (0600), loadable through the keystore', async () => {
    const keystore = new FakeKeystore();
    const dir = lab.tempDir();
    const id = await createIdentity(dir, 'Alice', keystore);
    expect(readdirSync(dir).sort()).toEqual(['identity.crt', 'identity.json', 'identity.key.wrapped']);
    expect(statSync(join(dir, 'identity.key.wrapped')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'identity.key.wrapped')).includes('PRIVATE KEY')).toBe(false);
    expect(loadIdentity(dir, keystore)).toMatchObject({ pin: id.pin, keyPem: id.keyPem });
    expect(identityExists(dir)).toBe(true);
  });

  it('a new identity with a real keystore never puts the plain key on disk, not even for a moment', async () => {
    // The attack: a backup or sync tool, or a snapshot of the disk, taken while the profile is
    // made. A plain key written first and wrapped afterwards would be gone when createIdentity
    // returns, so the folder's state afterwards proves nothing; its own file events do.
    const dir = lab.tempDir();
    const seen: string[] = [];
    const watcher = watch(dir, (_kind, name) => { if (name) seen.push(name); });
    try {
      await createIdentity(dir, 'Alice', new FakeKeystore());
      // The folder's events arrive in order: once this marker is seen, every earlier one was.
      const marker = new Promise<void>((resolve) => watcher.on('change', (_kind, name) => { if (name === 'marker') resolve(); }));
      writeFileSync(join(dir, 'marker'), '');
      await marker;
    } finally {
      watcher.close();
    }
    expect(seen).toContain('identity.key.wrapped');
    expect(seen.filter((name) => name === 'identity.key' || name.startsWith('identity.key.tmp'))).toEqual([]);
  });

  it('Linux without a keyring (basic_text) is no keystore: the key stays a plain 0600 file', async () => {
    const dir = lab.tempDir();
    await createIdentity(dir, 'Alice', new FakeKeystore('basic_text'));
    expect(readdirSync(dir)).toContain('identity.key');
    expect(readdirSync(dir)).not.toContain('identity.key.wrapped');
  });

  it('an existing plain identity.key is moved under the keystore on the first load with one, same pin', async () => {
    const { dir, id } = await fresh();
    const keystore = new FakeKeystore();
    expect(loadIdentity(dir, keystore)?.pin).toBe(id.pin);
    expect(readdirSync(dir).sort()).toEqual(['identity.crt', 'identity.json', 'identity.key.wrapped']);
    expect(loadIdentity(dir, keystore)?.keyPem).toBe(id.keyPem);
  });

  it('a keystore that fails while moving the key leaves the plain key where it was', async () => {
    const { dir, id } = await fresh();
    const broken = new FakeKeystore();
    broken.decrypt = () => {
      throw new Error('keyring locked mid-way');
    };
    expect(loadIdentity(dir, broken)?.pin).toBe(id.pin);
    expect(readdirSync(dir).sort()).toEqual(['identity.crt', 'identity.json', 'identity.key']);
  });

  it('a wrapped key without its keystore: IDENTITY_KEY_UNAVAILABLE, nothing changed, never a new identity', async () => {
    const keystore = new FakeKeystore();
    const dir = lab.tempDir();
    await createIdentity(dir, 'Alice', keystore);
    const before = snapshot(dir);
    keystore.available = false;
    for (const protector of [null, keystore, new FakeKeystore('gnome_libsecret', true, otherKeyring())]) {
      expect(() => loadIdentity(dir, protector)).toThrow(expect.objectContaining({ code: 'IDENTITY_KEY_UNAVAILABLE', message: expect.stringMatching(/nothing was changed/) }));
    }
    await expect(createIdentity(dir, 'Mallory', new FakeKeystore())).rejects.toMatchObject({ code: 'IDENTITY_EXISTS' });
    expect(snapshot(dir)).toEqual(before);
  });
});
