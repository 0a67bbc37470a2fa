import { describe, expect, it } from 'vitest';

import { cleanName, hasUnsafeCharacters, isNamesake, MAX_NAME_CHARS, namesakeKeys, skeleton } from './names';

describe('cleanName', () => {
  it.each([
    ['controls and DEL', 'Al\u0000i\u0007c\u001be\u007f', 'Alice'],
    ['C1 controls', 'Bo\u0085b\u009b', 'Bob'],
    ['bidi overrides, embeddings, isolates and marks', '\u202eboB\u202c \u2066x\u2069\u200f\u061c', 'boB x'],
    ['invisible characters (zero-width space, word joiner, BOM, tags)', 'B\u200bo\u2060b\ufeff\u{e0041}', 'Bob'],
    ['line and paragraph separators, tabs and runs of spaces', ' Bob\u2028 \t\u00a0 Smith\u2029 ', 'Bob Smith'],
    ['a decomposed é becomes the composed one (NFC)', 'Zoe\u0301', 'Zo\u00e9'],
  ])('removes %s', (_label, raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
  });

  it('keeps what names need: accents, scripts, ZWJ emoji sequences, ZWNJ and variation selectors', () => {
    for (const name of ['Zoë ✓ #1', 'Алиса', 'محمد', '👩‍💻 dev', 'می\u200cخواهم', '❤\ufe0f']) expect(cleanName(name)).toBe(name);
  });

  it('bounds a name to 64 code points without splitting a surrogate pair', () => {
    expect(Array.from(cleanName('😀'.repeat(100)))).toHaveLength(MAX_NAME_CHARS);
    expect(cleanName('😀'.repeat(100))).toBe('😀'.repeat(MAX_NAME_CHARS));
    expect(cleanName('\u0000\u200b  ')).toBe('');
  });

  it('hasUnsafeCharacters sees controls, lone surrogates and overrides, not ordinary text', () => {
    expect(['a\nb', 'a\ud800b', '\u202eabc', 'a\u2028b'].map(hasUnsafeCharacters)).toEqual([true, true, true, true]);
    expect(['Zoë ✓', 'Алиса', '👩‍💻'].map(hasUnsafeCharacters)).toEqual([false, false, false]);
  });
});

describe('confusable skeletons (Unicode TR39)', () => {
  it('maps look-alikes from other scripts to the same skeleton', () => {
    expect(skeleton('B\u043eb')).toBe(skeleton('Bob')); // Cyrillic о
    expect(skeleton('\u0392ob')).toBe(skeleton('Bob')); // Greek capital beta
    expect(skeleton('paypa\u217c')).toBe(skeleton('paypal')); // Roman numeral fifty
    expect(skeleton('rn')).toBe(skeleton('m'));
    expect(skeleton('Bob')).not.toBe(skeleton('Rob'));
  });

  it.each([
    ['Bob', 'bob'],
    ['Bob', 'B\u043eb'],
    ['Bob', '\u0392ob'],
    ['Bob', 'Bo\u200bb'],
    ['Bob', '\u202eboB'],
    ['Bob', '\uff22\uff4f\uff42'],
    ['Bob', '\u{1d401}\u{1d428}\u{1d41b}'],
    ['Alice', 'A\u0406ice'],
    ['Ian', 'ian'],
    ['Zoë', 'Zoe\u0308'],
  ])('"%s" and "%s" are namesakes', (a, b) => {
    expect(isNamesake(a, b)).toBe(true);
    expect(isNamesake(b, a)).toBe(true);
  });

  it.each([
    ['Bob', 'Rob'],
    ['Bob', 'Bobby'],
    ['Alice', 'Alicia'],
    ['', ''],
    ['\u200b', '\u200b'],
  ])('"%s" and "%s" are not', (a, b) => {
    expect(isNamesake(a, b)).toBe(false);
  });

  it('an empty or invisible name has no keys', () => {
    expect(namesakeKeys('').size).toBe(0);
    expect(namesakeKeys('\u200b\u202e').size).toBe(0);
  });
});
