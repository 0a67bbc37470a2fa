/**
 * This machine's identity: an ECDSA P-256 key and a self-signed certificate carrying the display
 * name as CN. Created once, then loaded on every run. A missing or damaged file is an error, never
 * a reason to make a new key: a new key would silently break the pin every contact holds. Where
 * the desktop hands in a real OS keystore, the private key is stored wrapped by it
 * (identity.key.wrapped), as the history key is, so a copy of the profile holds no usable key; a
 * profile with a plain identity.key is moved to the wrapped form the first time it is opened so.
 */
import 'reflect-metadata';

import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as x509 from '@peculiar/x509';

import { LockstepError } from '../errors';
import { type KeyProtector, strongBackend } from '../store/database-key';
import { ensurePrivateDir } from '../store/private-files';
import { cleanName, MAX_NAME_CHARS } from '../trust/names';
import { humanFingerprint, pinOfCertificate } from '../trust/pins';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface Identity {
  name: string;
  pin: string;
  fingerprint: string;
  createdAt: string;
  keyPem: string;
  certPem: string;
}

const FILES = { key: 'identity.key', wrappedKey: 'identity.key.wrapped', cert: 'identity.crt', meta: 'identity.json' } as const;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Backdated so a peer whose clock runs a day behind still sees a valid certificate. */
const BACKDATE_MS = 2 * 24 * 3600 * 1000;
const VALID_YEARS = 20;

function paths(profileDir: string) {
  return {
    key: join(profileDir, FILES.key),
    wrappedKey: join(profileDir, FILES.wrappedKey),
    cert: join(profileDir, FILES.cert),
    meta: join(profileDir, FILES.meta),
  };
}

export function identityExists(profileDir: string): boolean {
  return Object.values(paths(profileDir)).some((p) => existsSync(p));
}

function writeAtomically(path: string, data: string | Buffer, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** RFC 4514 escaping: a display name may hold commas, quotes or a leading '#'. */
function escapeRdnValue(value: string): string {
  return value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

/** A fresh ECDSA P-256 key and self-signed certificate (the identity's kind; the runtime probe makes a throwaway one). */
export async function makeCertificate(name: string): Promise<{ keyPem: string; certPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${escapeRdnValue(name)}`,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + VALID_YEARS * 365 * 24 * 3600 * 1000),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { keyPem, certPem: cert.toString('pem') + '\n' };
}

/** Create the identity in a profile that has none. Refuses to overwrite an existing one. */
export async function createIdentity(profileDir: string, name: string, protector: KeyProtector | null = null): Promise<Identity> {
  // Cleaned like every name a peer sends: this one is sent to peers, in the certificate and hello.
  const clean = cleanName(name, Number.MAX_SAFE_INTEGER);
  if (!clean || Array.from(clean).length > MAX_NAME_CHARS) throw new LockstepError('BAD_ARGUMENT', 'A display name has 1 to 64 characters.');
  if (identityExists(profileDir)) {
    throw new LockstepError('IDENTITY_EXISTS', `This profile already has an identity (${profileDir}).`);
  }
  ensurePrivateDir(profileDir);
  const { keyPem, certPem } = await makeCertificate(clean);
  const p = paths(profileDir);
  if (strongBackend(protector)) writeAtomically(p.wrappedKey, protector!.encrypt(Buffer.from(keyPem)), 0o600);
  else writeAtomically(p.key, keyPem, 0o600);
  writeAtomically(p.cert, certPem, 0o644);
  // Written last: its presence marks a complete identity.
  writeAtomically(p.meta, JSON.stringify({ version: 1, name: clean, createdAt: new Date().toISOString() }, null, 2), 0o644);
  return loadIdentity(profileDir, protector) as Identity;
}

function readOrFail(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new LockstepError(
      'IDENTITY_MISSING',
      `The identity's ${what} is missing (${path}). Restore it from a backup; making a new identity would break every pin your contacts hold.`,
    );
  }
  return readFileSync(path, 'utf8');
}

function corrupt(path: string, what: string, cause: unknown): LockstepError {
  return new LockstepError('IDENTITY_CORRUPT', `The identity's ${what} is damaged (${path}). Restore it from a backup.`, { cause });
}

function unavailable(why: string, cause?: unknown): LockstepError {
  return new LockstepError('IDENTITY_KEY_UNAVAILABLE', `Your identity's private key is protected by the OS keystore, which ${why}. Unlock your keyring (or log in to your desktop session) and start again; nothing was changed.`, { cause });
}

/** The private key: unwrapped by the keystore, or read from the plain file (then wrapped, if a keystore is there). */
function readPrivateKey(p: ReturnType<typeof paths>, protector: KeyProtector | null): string {
  if (existsSync(p.wrappedKey)) {
    if (!protector?.isAvailable()) throw unavailable('is not available right now');
    let keyPem: string;
    try {
      keyPem = protector.decrypt(readFileSync(p.wrappedKey)).toString('utf8');
    } catch (err) {
      throw unavailable('could not unwrap it (was the keyring reset or replaced, or is this profile a copy from elsewhere?)', err);
    }
    rmSync(p.key, { force: true }); // left by a move that stopped halfway
    return keyPem;
  }
  const keyPem = readOrFail(p.key, 'private key');
  if (strongBackend(protector)) wrapExistingKey(p, keyPem, protector!);
  return keyPem;
}

/**
 * Move a plain identity.key under the keystore. The plain file goes only once the wrapped one
 * reads back; if anything fails the profile stays as it was (a plain key, no wrapped file).
 */
function wrapExistingKey(p: ReturnType<typeof paths>, keyPem: string, protector: KeyProtector): void {
  try {
    writeAtomically(p.wrappedKey, protector.encrypt(Buffer.from(keyPem)), 0o600);
    if (protector.decrypt(readFileSync(p.wrappedKey)).toString('utf8') !== keyPem) throw new Error('the wrapped key does not read back');
  } catch {
    rmSync(p.wrappedKey, { force: true });
    return;
  }
  unlinkSync(p.key);
}

/** Load the identity, or null for a profile that never had one. */
export function loadIdentity(profileDir: string, protector: KeyProtector | null = null): Identity | null {
  if (!identityExists(profileDir)) return null;
  const p = paths(profileDir);
  const keyPem = readPrivateKey(p, protector);
  const certPem = readOrFail(p.cert, 'certificate');
  const metaText = readOrFail(p.meta, 'description');
  let cert: X509Certificate;
  let meta: { name?: unknown; createdAt?: unknown };
  try {
    cert = new X509Certificate(certPem);
  } catch (e) {
    throw corrupt(p.cert, 'certificate', e);
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('key does not match the certificate');
  } catch (e) {
    throw corrupt(p.key, 'private key', e);
  }
  try {
    meta = JSON.parse(metaText);
    if (typeof meta.name !== 'string' || typeof meta.createdAt !== 'string') throw new Error('fields missing');
  } catch (e) {
    throw corrupt(p.meta, 'description', e);
  }
  const pin = pinOfCertificate(cert);
  return { name: meta.name as string, pin, fingerprint: humanFingerprint(pin), createdAt: meta.createdAt as string, keyPem, certPem };
}
