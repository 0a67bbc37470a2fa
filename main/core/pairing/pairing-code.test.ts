import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { errorCode } from '../errors';
import {
  CODE_BITS,
  CODE_WORDS,
  generatePairingCode,
  normalizePairingCode,
  PairingCodeError,
  pairingPrs,
  WORDLIST,
} from './pairing-code';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return errorCode(e);
  }
};

describe('word list', () => {
  it('is the BIP-39 English list, byte for byte', () => {
    expect(WORDLIST.length).toBe(2048);
    const digest = createHash('sha256').update(`${WORDLIST.join('\n')}\n`).digest('hex');
    expect(digest).toBe('2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda');
  });

  it('has distinct lowercase words whose first four letters are distinct', () => {
    expect(new Set(WORDLIST).size).toBe(2048);
    expect(WORDLIST.every((w) => /^[a-z]{3,8}$/.test(w))).toBe(true);
    expect(new Set(WORDLIST.map((w) => w.slice(0, 4))).size).toBe(2048);
  });
});

describe('generatePairingCode', () => {
  it('gives three list words joined by hyphens, 33 bits', () => {
    expect(CODE_WORDS).toBe(3);
    expect(CODE_BITS).toBeGreaterThanOrEqual(33);
    const code = generatePairingCode();
    const words = code.split('-');
    expect(words).toHaveLength(3);
    for (const w of words) expect(WORDLIST).toContain(w);
    expect(normalizePairingCode(code)).toBe(code);
  });

  it('maps random bits to words by their 11-bit index', () => {
    // 0x0000 → word 0, 0x07ff → word 2047, 0xf801 → low 11 bits = 1.
    const bytes = Uint8Array.from([0x00, 0x00, 0x07, 0xff, 0xf8, 0x01]);
    expect(generatePairingCode(() => bytes)).toBe(`${WORDLIST[0]}-${WORDLIST[2047]}-${WORDLIST[1]}`);
    expect(generatePairingCode(() => bytes)).toBe('abandon-zoo-ability');
  });

  it('draws different codes', () => {
    const codes = new Set(Array.from({ length: 50 }, () => generatePairingCode()));
    expect(codes.size).toBeGreaterThan(45);
  });
});

describe('normalizePairingCode', () => {
  it.each([
    ['abandon-zoo-ability', 'abandon-zoo-ability'],
    ['abandon zoo ability', 'abandon-zoo-ability'],
    ['  Abandon   ZOO  Ability \n', 'abandon-zoo-ability'],
    ['ABANDON-ZOO-ABILITY', 'abandon-zoo-ability'],
    ['abandon - zoo - ability', 'abandon-zoo-ability'],
    ['abandon_zoo.ability', 'abandon-zoo-ability'],
    ['abandon,zoo,ability', 'abandon-zoo-ability'],
    ['aban zoo abil', 'abandon-zoo-ability'],
    ['abando zoo abilit', 'abandon-zoo-ability'],
    ['ＡＢＡＮＤＯＮ zoo ability', 'abandon-zoo-ability'], // full-width letters (NFKC)
    ['act add age', 'act-add-age'], // three-letter words typed in full
  ])('%j → %s', (typed, canonical) => {
    expect(normalizePairingCode(typed)).toBe(canonical);
  });

  it.each([
    ['empty', ''],
    ['blanks', '   \n\t '],
    ['separators only', '- - -'],
    ['two words', 'abandon zoo'],
    ['four words', 'abandon zoo ability able'],
    ['not a word', 'abandon zoo qwerty'],
    ['misspelt', 'abandon zoo abillity'],
    ['a three-letter prefix', 'aba zoo ability'],
    ['an ambiguous short prefix', 'abandon zoo ab'],
    ['digits', '123 456 789'],
    ['letters with digits', 'abandon zoo abil1ty'],
    ['accents', 'abandön zoo ability'],
    ['garbage', '\u0000\u0001\u0002'],
    ['a long garbage word', `abandon zoo ${'x'.repeat(500)}`],
  ])('rejects %s with BAD_PAIRING_CODE', (_label, typed) => {
    expect(codeOf(() => normalizePairingCode(typed))).toBe('BAD_PAIRING_CODE');
  });

  it('says what is wrong in words a person can act on', () => {
    expect(() => normalizePairingCode('')).toThrow(/3 words/);
    expect(() => normalizePairingCode('abandon zoo')).toThrow(/3 words; that was 2/);
    expect(() => normalizePairingCode('abandon zoo qwerty')).toThrow(/"qwerty" is not one of the pairing words/);
    expect(() => normalizePairingCode(`a b ${'x'.repeat(500)}`)).toThrow(PairingCodeError);
    try {
      normalizePairingCode(`abandon zoo ${'x'.repeat(500)}`);
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(100);
    }
  });

  it('rejects non-strings from untyped callers', () => {
    expect(codeOf(() => normalizePairingCode(undefined as unknown as string))).toBe('BAD_PAIRING_CODE');
    expect(codeOf(() => normalizePairingCode(42 as unknown as string))).toBe('BAD_PAIRING_CODE');
  });
});

describe('pairingPrs', () => {
  it('is the canonical form as UTF-8, the same however the code was typed', () => {
    const a = pairingPrs('Abandon zoo ABIL');
    const b = pairingPrs('abandon-zoo-ability');
    expect(Buffer.from(a).toString('utf8')).toBe('abandon-zoo-ability');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
