import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeCert, opensslPin } from '../../../test/helpers/openssl';
import { Lab } from '../../../test/helpers/profiles';
import { humanFingerprint, parsePin, pinFromSpki, pinOfCertificate, safetyNumber } from './pins';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const lab = new Lab();
let certs: { path: string; cert: X509Certificate }[];

beforeAll(() => {
  const dir = lab.tempDir();
  certs = ['one', 'two', 'three'].map((cn) => {
    const c = makeCert(dir, cn);
    return { path: c.certPath, cert: new X509Certificate(readFileSync(c.certPath)) };
  });
});
afterAll(() => lab.cleanup());

const randomPin = (seed: string) => `sha256/${createHash('sha256').update(seed).digest('base64')}`;
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
};

describe('wire form', () => {
  it('equals the SHA-256 of the SubjectPublicKeyInfo as openssl computes it', () => {
    for (const { path, cert } of certs) {
      const expected = opensslPin(path);
      expect(expected).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
      expect(pinOfCertificate(cert)).toBe(expected);
      expect(pinFromSpki(cert.publicKey.export({ type: 'spki', format: 'der' }))).toBe(expected);
    }
  });

  it('differs between keys', () => {
    expect(new Set(certs.map((c) => pinOfCertificate(c.cert))).size).toBe(certs.length);
  });

  it('parses back to itself, with surrounding whitespace', () => {
    const pin = opensslPin(certs[0]!.path);
    expect(parsePin(`  ${pin}\n`)).toBe(pin);
  });

  it.each([
    ['empty', ''],
    ['prefix only', 'sha256/'],
    ['too short', 'sha256/AAAA'],
    ['wrong hash', `sha1/${Buffer.alloc(20).toString('base64')}`],
    ['base64url alphabet', `sha256/${'_'.repeat(43)}=`],
    ['48 bytes', `sha256/${Buffer.alloc(48).toString('base64')}`],
    ['prose', 'hello world'],
    ['hex', 'ab'.repeat(32)],
  ])('rejects garbage (%s) with BAD_PIN', (_label, text) => {
    expect(code(() => parsePin(text))).toBe('BAD_PIN');
  });

  it('does not accept a second spelling of the same 32 bytes (non-canonical base64)', () => {
    // "…AB=" decodes to the same bytes as "…AA=", but pins are compared as strings: accepting
    // it would store a pin that never matches the peer it names.
    const canonical = `sha256/${Buffer.alloc(32).toString('base64')}`;
    const sloppy = `${canonical.slice(0, -2)}B=`;
    expect(Buffer.from(sloppy.slice(7), 'base64').equals(Buffer.alloc(32))).toBe(true);
    let parsed: string | undefined;
    const failure = code(() => (parsed = parsePin(sloppy)));
    if (failure === undefined) expect(parsed).toBe(canonical);
    else expect(failure).toBe('BAD_PIN');
  });
});

describe('human form', () => {
  const pins = () => [...certs.map((c) => pinOfCertificate(c.cert)), randomPin('a'), randomPin('b'), `sha256/${Buffer.alloc(32, 0xff).toString('base64')}`, `sha256/${Buffer.alloc(32).toString('base64')}`];

  it('is 52 Crockford base32 digits in groups of four, then a check symbol', () => {
    for (const pin of pins()) {
      const human = humanFingerprint(pin);
      expect(human).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z*~$=U]$/);
    }
  });

  it('encodes the 32 hash bytes, most significant first', () => {
    // Independent decode: base32 digits → bits, drop the 4 padding bits.
    for (const pin of pins()) {
      const digits = humanFingerprint(pin).replace(/-/g, '').slice(0, 52);
      const bits = [...digits].map((d) => CROCKFORD.indexOf(d).toString(2).padStart(5, '0')).join('').slice(0, 256);
      const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
      expect(`sha256/${bytes.toString('base64')}`).toBe(pin);
    }
  });

  it('round-trips to the wire form', () => {
    for (const pin of pins()) expect(parsePin(humanFingerprint(pin))).toBe(pin);
  });

  it('tolerates lower case, missing or extra separators, and I/L/O read for 1/1/0', () => {
    for (const pin of pins()) {
      const human = humanFingerprint(pin);
      expect(parsePin(human.toLowerCase())).toBe(pin);
      expect(parsePin(human.replace(/-/g, ''))).toBe(pin);
      expect(parsePin(human.replace(/-/g, ' '))).toBe(pin);
      let n = 0;
      const misread = human.slice(0, -1).replace(/1/g, () => (n++ % 2 === 0 ? 'I' : 'l')).replace(/0/g, 'O') + human.slice(-1);
      expect(parsePin(misread)).toBe(pin);
    }
  });

  it('catches every one-character substitution in the digits with its check symbol', () => {
    for (const pin of pins()) {
      const human = humanFingerprint(pin);
      const positions = [...human.matchAll(/[^-]/g)].map((m) => m.index);
      const digitPositions = positions.slice(0, 52);
      const lastDigit = digitPositions.pop()!;
      for (const at of digitPositions) {
        for (const ch of CROCKFORD) {
          if (ch === human[at]) continue;
          const typo = human.slice(0, at) + ch + human.slice(at + 1);
          expect(code(() => parsePin(typo)), `typo "${ch}" at ${at} in ${human}`).toBe('BAD_PIN');
        }
      }
      // The last digit carries one bit of the hash and four padding bits: a typo there is either
      // caught or changes nothing (never a different pin).
      for (const ch of CROCKFORD) {
        const typo = human.slice(0, lastDigit) + ch + human.slice(lastDigit + 1);
        let parsed: string | undefined;
        const failure = code(() => (parsed = parsePin(typo)));
        if (failure === undefined) expect(parsed).toBe(pin);
        else expect(failure).toBe('BAD_PIN');
      }
    }
  });

  it('catches a wrong check symbol, and a swap of two neighbouring digits', () => {
    const human = humanFingerprint(randomPin('swap'));
    const wrongCheck = human.slice(0, -1) + (human.endsWith('0') ? '1' : '0');
    expect(code(() => parsePin(wrongCheck))).toBe('BAD_PIN');
    const i = [...human].findIndex((c, k) => c !== '-' && human[k + 1] !== '-' && k + 1 < human.length - 3 && c !== human[k + 1]);
    const swapped = human.slice(0, i) + human[i + 1] + human[i] + human.slice(i + 2);
    expect(code(() => parsePin(swapped))).toBe('BAD_PIN');
  });

  it('rejects a fingerprint with a missing or extra character, or a foreign symbol', () => {
    const human = humanFingerprint(randomPin('len'));
    expect(code(() => parsePin(human.slice(1)))).toBe('BAD_PIN');
    expect(code(() => parsePin(`0${human}`))).toBe('BAD_PIN');
    expect(code(() => parsePin(`U${human.slice(1)}`))).toBe('BAD_PIN');
  });
});

describe('safety number', () => {
  const [a, b, c] = [randomPin('alice'), randomPin('bob'), randomPin('carol')];

  it('is 12 groups of 5 digits', () => {
    expect(safetyNumber(a, b)).toMatch(/^\d{5}( \d{5}){11}$/);
  });

  it('is the same from both sides', () => {
    expect(safetyNumber(a, b)).toBe(safetyNumber(b, a));
    expect(safetyNumber(a, c)).toBe(safetyNumber(c, a));
  });

  it('differs for every other pair', () => {
    const numbers = [safetyNumber(a, b), safetyNumber(a, c), safetyNumber(b, c), safetyNumber(a, a)];
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('changes when either key changes', () => {
    expect(safetyNumber(a, b)).not.toBe(safetyNumber(a, randomPin('bob2')));
    expect(safetyNumber(a, b)).not.toBe(safetyNumber(randomPin('alice2'), b));
  });
});
