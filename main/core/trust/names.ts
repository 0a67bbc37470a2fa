/**
 * Names that come from peers — certificate CNs, `hello` names, mDNS names, invite names — are
 * claims and data, never markup. Each is cleaned where it enters (NFC, no controls, no direction
 * overrides, no invisible characters, bounded), and "is this the name of a contact I know?" is
 * answered by comparing confusable skeletons (Unicode TR39 §4), so "Bоb" with a Cyrillic о, "B\u200bob"
 * with a zero-width space or "‮boB" reversed by an override all count as namesakes of "Bob".
 *
 * The prototype mapping is Unicode's confusables.txt as packaged by `unhomoglyph` (Unicode 13.0
 * data): a newer look-alike missing from it is not caught, but the common Latin, Greek and
 * Cyrillic ones are.
 */
import unhomoglyph from 'unhomoglyph';

/** A display name is 1 to 64 characters (code points), as identities require. */
export { MAX_NAME_CHARS } from '../../../shared/limits';
import { MAX_NAME_CHARS } from '../../../shared/limits';

/**
 * What never belongs in a name: C0/C1 controls and DEL, lone surrogates, line and paragraph
 * separators, and the bidirectional controls (ALM, LRM, RLM, the embeddings and overrides
 * U+202A–U+202E, the isolates U+2066–U+2069) that make text display as something else.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Invisible characters (Default_Ignorable_Code_Point: zero-width space, word joiner, Hangul
 * fillers, tag characters…) hide a difference or a whole second text inside a name. Kept: ZWNJ
 * and ZWJ (Persian, Indic scripts, emoji sequences) and the variation selectors (emoji).
 */
const INVISIBLE = /(?!\u200c|\u200d|\p{Variation_Selector})\p{Default_Ignorable_Code_Point}/u;

const STRIP = new RegExp(`${UNSAFE.source}|${INVISIBLE.source}`, 'gu');

/**
 * Free text from a peer (a goodbye reason, an error message) made fit to quote inside one of our
 * sentences: bounded, on one line, every unsafe character written as its code (`\u202e`).
 */
export function quotePeerText(text: string, max = 200): string {
  const chars = Array.from(text);
  const bounded = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return bounded.replace(new RegExp(UNSAFE.source, 'gu'), (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** True when the text holds a control, a lone surrogate, a line break or a direction override. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * A name as it may be stored and shown: NFC, without controls, direction overrides or invisible
 * characters, runs of white space as one space, trimmed, at most `max` code points. May be ''.
 */
export function cleanName(raw: string, max = MAX_NAME_CHARS): string {
  const stripped = raw.replace(STRIP, '').normalize('NFC').replace(/\s+/gu, ' ').trim();
  const chars = Array.from(stripped);
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : stripped;
}

/**
 * The TR39 skeleton: NFD, drop default-ignorable code points, map each character to its
 * prototype in confusables.txt, NFD again. Two strings are confusable when their skeletons are
 * equal. For comparison only: a skeleton is not fit to show.
 */
export function skeleton(text: string): string {
  const decomposed = text.normalize('NFD').replace(/\p{Default_Ignorable_Code_Point}/gu, '');
  return unhomoglyph(decomposed).normalize('NFD');
}

/**
 * The keys a name is compared by. The confusables table is case-sensitive ("B" and "b" are not
 * confusable, yet "Bob" and "bob" are the same name to a person), so a name is also compared in
 * lower case, both before and after mapping ("Βob" with a Greek capital beta lowers to "βob"). It
 * leaves compatibility forms to NFKC (full-width "Ｂｏｂ", mathematical "𝐁𝐨𝐛"), so both are tried.
 */
export function namesakeKeys(name: string): Set<string> {
  const clean = cleanName(name, Number.MAX_SAFE_INTEGER);
  const keys = new Set<string>();
  if (!clean) return keys;
  for (const form of [clean, clean.normalize('NFKC')]) {
    keys.add(skeleton(form));
    keys.add(skeleton(form.toLowerCase()));
    keys.add(skeleton(skeleton(form).toLowerCase()));
  }
  return keys;
}

/** True when a person could take one name for the other. Empty names are nobody's namesake. */
export function isNamesake(a: string, b: string): boolean {
  const keys = namesakeKeys(a);
  for (const key of namesakeKeys(b)) if (keys.has(key)) return true;
  return false;
}
