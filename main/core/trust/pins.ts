/**
 * Pins: what Lockstep trusts is the SHA-256 of a certificate's SubjectPublicKeyInfo (DER), the
 * same value HPKP and OkHttp pin. Wire form `sha256/<base64>`; human form for reading aloud:
 * Crockford base32 in groups of four with Crockford's mod-37 check symbol at the end, so a
 * misread character is caught. Parsing accepts both and returns the wire form.
 */
import { createHash, X509Certificate } from 'node:crypto';

import { LockstepError } from '../errors';

const PREFIX = 'sha256/';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;
const HASH_BYTES = 32;
const HUMAN_CHARS = Math.ceil((HASH_BYTES * 8) / 5); // 52

export function pinFromSpki(spkiDer: Uint8Array): string {
  return PREFIX + createHash('sha256').update(spkiDer).digest('base64');
}

export function pinOfCertificate(cert: X509Certificate): string {
  return pinFromSpki(cert.publicKey.export({ type: 'spki', format: 'der' }));
}

function pinBytes(pin: string): Buffer {
  return Buffer.from(pin.slice(PREFIX.length), 'base64');
}

/** The human form of a pin: `XXXX-XXXX-…-XXXX-C` (52 base32 characters, then the check). */
export function humanFingerprint(pin: string): string {
  const bytes = pinBytes(pin);
  const value = BigInt(`0x${bytes.toString('hex')}`);
  // 256 bits fill 52 base32 digits with 4 bits to spare: shift left so the digits align.
  let shifted = value << BigInt(HUMAN_CHARS * 5 - HASH_BYTES * 8);
  let digits = '';
  for (let i = 0; i < HUMAN_CHARS; i += 1) {
    digits = ALPHABET[Number(shifted & 31n)] + digits;
    shifted >>= 5n;
  }
  const check = CHECK_ALPHABET[Number(value % 37n)];
  return `${digits.match(/.{1,4}/g)!.join('-')}-${check}`;
}

function parseHuman(text: string): string | null {
  const cleaned = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (cleaned.length !== HUMAN_CHARS + 1) return null;
  let shifted = 0n;
  for (const ch of cleaned.slice(0, HUMAN_CHARS)) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) return null;
    shifted = (shifted << 5n) | BigInt(digit);
  }
  const value = shifted >> BigInt(HUMAN_CHARS * 5 - HASH_BYTES * 8);
  if (CHECK_ALPHABET[Number(value % 37n)] !== cleaned[HUMAN_CHARS]) {
    throw new LockstepError('BAD_PIN', 'That fingerprint has a typo: its check character does not match. Read it again.');
  }
  return PREFIX + Buffer.from(value.toString(16).padStart(HASH_BYTES * 2, '0'), 'hex').toString('base64');
}

/** Accepts `sha256/<base64>` or the human form; returns the wire form or throws BAD_PIN. */
export function parsePin(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith(PREFIX)) {
    const b64 = trimmed.slice(PREFIX.length);
    // Canonical base64 only: pins are compared as strings, so a second spelling of the same bytes must not pass.
    if (/^[A-Za-z0-9+/]{43}=$/.test(b64) && Buffer.from(b64, 'base64').toString('base64') === b64) return PREFIX + b64;
    throw new LockstepError('BAD_PIN', 'A pin is "sha256/" followed by 44 base64 characters (the SHA-256 of the public key).');
  }
  const human = parseHuman(trimmed);
  if (human) return human;
  throw new LockstepError(
    'BAD_PIN',
    'Not a pin: expected "sha256/<base64>" or a fingerprint of 53 characters in groups (XXXX-XXXX-…-C).',
  );
}

/**
 * The safety number of two pins: the same on both sides (the pins are sorted first), different
 * for any other pair. 60 digits in 12 groups of five, read aloud and compared by both people.
 */
export function safetyNumber(pinA: string, pinB: string): string {
  const [first, second] = [pinA, pinB].sort();
  const digest = createHash('sha512').update(`lockstep safety number v1\n${first}\n${second}\n`).digest();
  const groups: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    groups.push(String(digest.readUIntBE(i * 5, 5) % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
