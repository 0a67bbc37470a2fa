/**
 * What a Lockstep advertisement says about itself, in its DNS-SD TXT record (RFC 6763 §6):
 * `v=1`, `pin=sha256/<base64>`, `name=<display name>`. Everything received here is a claim made by
 * whoever sent a multicast packet on the link: it is parsed strictly and anything malformed is
 * refused with a reason. Nothing in this file makes a peer trusted — only a pin, an invite or a
 * pairing code does that.
 */
import { LockstepError } from '../errors';
import { cleanName } from '../trust/names';
import { humanFingerprint, parsePin } from '../trust/pins';

export const SERVICE_TYPE = 'lockstep';
export const SERVICE_PROTOCOL = 'tcp';
export const TXT_VERSION = '1';
/** The display-name rule of identities (1 to 64 characters, trimmed), plus no control characters. */
export { MAX_NAME_CHARS } from '../../../shared/limits';
import { MAX_NAME_CHARS } from '../../../shared/limits';
/** RFC 6763 §6.1: one TXT string holds at most 255 bytes ("key=value"). */
const MAX_TXT_STRING_BYTES = 255;
/** A Lockstep TXT record has three strings; anything far beyond that is not ours. */
const MAX_TXT_STRINGS = 32;
const MAX_HOST_CHARS = 253;

/** C0/C1 controls, lone surrogates, and the bidi controls that can make a name read as another. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Cs}]/u;

export interface AdvertisedFields {
  name: string;
  pin: string;
}

export interface TxtClaim {
  name: string;
  pin: string;
  fingerprint: string;
}

export type TxtVerdict = { ok: true; claim: TxtClaim } | { ok: false; reason: string };

/** The reason a display name cannot be advertised or accepted, or null if it can. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name !== name.trim()) return 'the name has leading or trailing spaces';
  if (name.length > MAX_NAME_CHARS) return `the name is longer than ${MAX_NAME_CHARS} characters`;
  if (FORBIDDEN_IN_NAME.test(name)) return 'the name holds control or direction-override characters';
  return null;
}

/** The wire form of a pin as we advertise it, or null. Only `sha256/<base64>`, canonical. */
function wirePin(text: string): string | null {
  if (!text.startsWith('sha256/')) return null;
  try {
    const pin = parsePin(text);
    return pin === text ? pin : null;
  } catch {
    return null;
  }
}

/** The TXT strings for our advertisement; throws BAD_ARGUMENT for a name or pin peers would refuse. */
export function encodeTxt({ name, pin }: AdvertisedFields): { v: string; pin: string; name: string } {
  const problem = nameProblem(name);
  if (problem) throw new LockstepError('BAD_ARGUMENT', `Cannot advertise this display name: ${problem}.`);
  let wire: string;
  try {
    wire = parsePin(pin);
  } catch (cause) {
    throw new LockstepError('BAD_ARGUMENT', 'Cannot advertise: the pin is not a Lockstep pin (sha256/<base64>).', { cause });
  }
  const txt = { v: TXT_VERSION, pin: wire, name };
  for (const [key, value] of Object.entries(txt)) {
    // Unreachable with the bounds above (64 UTF-16 units are at most 192 bytes); kept as the invariant.
    if (Buffer.byteLength(`${key}=${value}`) > MAX_TXT_STRING_BYTES) {
      throw new LockstepError('BAD_ARGUMENT', `Cannot advertise: the TXT entry "${key}" is longer than ${MAX_TXT_STRING_BYTES} bytes.`);
    }
  }
  return txt;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * RFC 6763 §6.3–6.5 key/value pairs from the raw TXT strings: keys are case-insensitive ASCII, the
 * first occurrence of a key wins, a string without '=' is a boolean attribute (value null), and a
 * value that is not UTF-8 is kept as undefined so the caller can say so.
 */
export function parseTxtStrings(strings: readonly Uint8Array[]): Map<string, string | null | undefined> | string {
  if (strings.length > MAX_TXT_STRINGS) return `the TXT record has ${strings.length} strings (at most ${MAX_TXT_STRINGS})`;
  const pairs = new Map<string, string | null | undefined>();
  for (const raw of strings) {
    if (raw.length === 0) continue; // RFC 6763 §6.1: an empty string is allowed and means nothing
    if (raw.length > MAX_TXT_STRING_BYTES) return 'a TXT string is longer than 255 bytes';
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
    const eq = bytes.indexOf(0x3d);
    const keyBytes = eq < 0 ? bytes : bytes.subarray(0, eq);
    // Keys: printable US-ASCII except '=', at least one character (§6.4).
    if (keyBytes.length === 0) continue;
    if (keyBytes.some((b) => b < 0x20 || b > 0x7e)) return 'a TXT key is not printable ASCII';
    const key = keyBytes.toString('latin1').toLowerCase();
    if (pairs.has(key)) continue;
    if (eq < 0) {
      pairs.set(key, null);
      continue;
    }
    try {
      pairs.set(key, utf8.decode(bytes.subarray(eq + 1)));
    } catch {
      pairs.set(key, undefined);
    }
  }
  return pairs;
}

/** Judge a received TXT record: the claim it makes, or why it is ignored. */
export function readTxt(strings: readonly Uint8Array[] | undefined): TxtVerdict {
  if (!strings) return { ok: false, reason: 'no TXT record' };
  const pairs = parseTxtStrings(strings);
  if (typeof pairs === 'string') return { ok: false, reason: pairs };
  const v = pairs.get('v');
  if (v !== TXT_VERSION) {
    return { ok: false, reason: v === undefined && !pairs.has('v') ? 'no version (v=)' : `unsupported version v=${printable(v)}` };
  }
  const pinText = pairs.get('pin');
  if (typeof pinText !== 'string') return { ok: false, reason: 'no pin' };
  const pin = wirePin(pinText);
  if (!pin) return { ok: false, reason: `malformed pin ${printable(pinText)}` };
  const name = pairs.get('name');
  if (typeof name !== 'string') return { ok: false, reason: pairs.has('name') ? 'the name is not UTF-8 text' : 'no name' };
  const problem = nameProblem(name);
  if (problem) return { ok: false, reason: `malformed name: ${problem}` };
  // Cleaned like every name from a peer (NFC, no invisible characters), so it compares and shows as it reads.
  const clean = cleanName(name);
  if (!clean) return { ok: false, reason: 'malformed name: the name is only invisible characters' };
  return { ok: true, claim: { name: clean, pin, fingerprint: humanFingerprint(pin) } };
}

/** An SRV target as shown to users: a DNS name, bounded, no controls. */
export function hostProblem(host: unknown): string | null {
  if (typeof host !== 'string' || host.length === 0) return 'no host name (SRV target)';
  if (host.length > MAX_HOST_CHARS) return 'the host name is longer than 253 characters';
  if (FORBIDDEN_IN_NAME.test(host) || /\s/.test(host)) return 'the host name holds spaces or control characters';
  return null;
}

/** Received text with controls and direction overrides escaped (`\u202e`), bounded: safe to show. */
export function escapeControls(text: string, max = 300): string {
  const chars = [...text];
  const bounded = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return bounded.replace(new RegExp(FORBIDDEN_IN_NAME.source, 'gu'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A DNS-SD instance name fit to list (a front end may show it): no controls or direction overrides. */
export function instanceProblem(instance: string): string | null {
  if (instance.length > 255) return 'the service name is longer than 255 characters';
  if (FORBIDDEN_IN_NAME.test(instance)) return 'the service name holds control or direction-override characters';
  return null;
}

/** A received value quoted for a reason string: bounded, controls escaped. */
export function printable(value: string | null | undefined): string {
  if (value === null) return '(no value)';
  if (value === undefined) return '(not UTF-8)';
  return `"${escapeControls(value, 60)}"`;
}
