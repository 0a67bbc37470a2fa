/**
 * The human form of a wire pin (`sha256/<base64>` → `XXXX-XXXX-…-C`), for pins the engine hands
 * over only in wire form (the impostor's key in a `trust.check`). Same algorithm as the engine's
 * `humanFingerprint` (main/core/trust/pins.ts): Crockford base32 of the 256-bit hash, left-aligned
 * to 52 digits, grouped in fours, then Crockford's mod-37 check symbol.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;
const HASH_BYTES = 32;
const HUMAN_CHARS = Math.ceil((HASH_BYTES * 8) / 5);

/** Null when the text is not a SHA-256 wire pin. */
export function humanFingerprint(pin: string): string | null {
  if (!pin.startsWith('sha256/')) return null;
  let binary: string;
  try {
    binary = atob(pin.slice('sha256/'.length));
  } catch {
    return null;
  }
  if (binary.length !== HASH_BYTES) return null;
  let value = 0n;
  for (let i = 0; i < binary.length; i++) value = (value << 8n) | BigInt(binary.charCodeAt(i));
  let shifted = value << BigInt(HUMAN_CHARS * 5 - HASH_BYTES * 8);
  let digits = '';
  for (let i = 0; i < HUMAN_CHARS; i++) {
    digits = ALPHABET[Number(shifted & 31n)] + digits;
    shifted >>= 5n;
  }
  const check = CHECK_ALPHABET[Number(value % 37n)];
  return `${digits.match(/.{1,4}/g)!.join('-')}-${check}`;
}
