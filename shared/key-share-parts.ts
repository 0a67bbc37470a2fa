/**
 * What a key share is made of, by group and side, for the panel and the events. A hybrid share is
 * two public values side by side (draft-ietf-tls-ecdhe-mlkem, X25519MLKEM768: the ML-KEM part
 * first, then X25519): the client sends an ML-KEM-768 encapsulation key (FIPS 203: 384·k + 32 =
 * 1,184 bytes for k = 3) and an X25519 public key (32 bytes); the server answers with an ML-KEM-768
 * ciphertext (32·(du·k + dv) = 1,088 bytes) and its own X25519 key. Pure, shared by both ends.
 */

export interface KeySharePart {
  /** What the bytes are, in a few words ("ML-KEM-768 encapsulation key"). */
  name: string;
  length: number;
}

export type ShareSide = 'client' | 'server';

const ML_KEM_768_EK = 1184;
const ML_KEM_768_CT = 1088;
const X25519_KEY = 32;
const P256_POINT = 65;

/** Groups whose secret stays safe against a quantum computer as long as their ML-KEM part holds. */
export function isPostQuantum(group: string | null | undefined): boolean {
  return group === 'X25519MLKEM768';
}

/**
 * The parts of one key share. A share whose length does not fit its group is shown as one
 * unexplained part rather than split wrongly.
 */
export function keySharePartsOf(group: string, length: number, side: ShareSide): KeySharePart[] {
  const whole = [{ name: `${group} key share`, length }];
  if (group === 'X25519MLKEM768') {
    const mlkem = side === 'client' ? { name: 'ML-KEM-768 encapsulation key', length: ML_KEM_768_EK } : { name: 'ML-KEM-768 ciphertext', length: ML_KEM_768_CT };
    return length === mlkem.length + X25519_KEY ? [mlkem, { name: 'X25519 public key', length: X25519_KEY }] : whole;
  }
  if (group === 'X25519') return length === X25519_KEY ? [{ name: 'X25519 public key', length }] : whole;
  if (group === 'secp256r1' || group === 'P-256') return length === P256_POINT ? [{ name: 'P-256 public point (uncompressed)', length }] : whole;
  return whole;
}
