/**
 * CPace over ristretto255 with SHA-512 (the CPACE-RISTR255-SHA512 suite), as specified in
 * draft-irtf-cfrg-cpace-21: §6.3 (lv_cat, transcripts), §7.2 (protocol instructions), §8.1
 * (generator_string), §8.3 (G_Ristretto255), §10.4 (key confirmation), §10.6 (sid_output),
 * Appendix A (helper functions). Test vectors: Appendix B.3, in `cpace-vectors.test.ts`.
 *
 * Only the primitives live here; `pairing-protocol.ts` runs them as one attempt of the
 * initiator-responder setting (the dialer is A, the listener is B).
 *
 * What this module never does: expose K outside the ISK computation's callers (§10.3 says an
 * implementation MUST NOT expose K; `scalarMultVfy` returns it only so the ISK can be derived
 * and the test vectors checked), or reuse a scalar (§10.9: `sampleScalar` is called once per
 * attempt).
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

const Point = ristretto255.Point;
export type RistrettoPoint = InstanceType<typeof Point>;

/** G_Ristretto255.DSI (§8.3). */
export const DSI = utf8ToBytes('CPaceRistretto255');
/** G.DSI || b"_ISK" (§7.2). */
export const DSI_ISK = utf8ToBytes('CPaceRistretto255_ISK');
/** H.s_in_bytes for SHA-512: its input block size (§6.2). */
export const SHA512_BLOCK_BYTES = 128;
/** G_Ristretto255.field_size_bytes: encoded elements and scalars are 32 bytes (§8.3). */
export const ELEMENT_BYTES = 32;
/** H.b_in_bytes for SHA-512: the ISK and the confirmation tags are 64 bytes. */
export const HASH_BYTES = 64;
/** G.I: the public encoding of the neutral element (all zeros for ristretto255, RFC 9496 §4.3.2). */
export const IDENTITY: Uint8Array = new Uint8Array(ELEMENT_BYTES);

const GROUP_ORDER = Point.Fn.ORDER;

/** RFC 9496 §4.3.4 element derivation (optional in noble's hasher type, present for ristretto255). */
function elementDerivation(uniform64: Uint8Array): RistrettoPoint {
  const derive = ristretto255_hasher.deriveToCurve;
  if (!derive) throw new Error('@noble/curves has no ristretto255 element derivation');
  return derive.call(ristretto255_hasher, uniform64);
}

/** LEB128 of a non-negative integer (§6.3, Appendix A.1.1). */
export function leb128(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('LEB128: expected a non-negative integer');
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low + 0x80 : low);
  } while (rest > 0);
  return Uint8Array.from(out);
}

/** prepend_len(data): the LEB128 length of `data`, then `data` (Appendix A.1.1). */
export function prependLen(data: Uint8Array): Uint8Array {
  return concatBytes(leb128(data.length), data);
}

/** lv_cat(a0, a1, …) = prepend_len(a0) || prepend_len(a1) || … (Appendix A.1.3). */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts.map(prependLen));
}

/**
 * generator_string(DSI, PRS, CI, sid, s_in_bytes) = lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid)
 * with len_zpad = max(0, s_in_bytes - 1 - len(prepend_len(PRS)) - len(prepend_len(DSI)))
 * (§8.1, Appendix A.2): DSI, PRS and the padding fill the hash's first block.
 */
export function generatorString(
  dsi: Uint8Array,
  prs: Uint8Array,
  ci: Uint8Array,
  sid: Uint8Array,
  sInBytes: number = SHA512_BLOCK_BYTES,
): Uint8Array {
  const zpad = Math.max(0, sInBytes - 1 - prependLen(prs).length - prependLen(dsi).length);
  return lvCat(dsi, prs, new Uint8Array(zpad), ci, sid);
}

/** H.hash(generator_string(…), 2 · field_size_bytes): the 64 bytes the generator is derived from (§8.3). */
export function hashGeneratorString(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  return sha512(generatorString(DSI, prs, ci, sid, SHA512_BLOCK_BYTES));
}

/**
 * G.calculate_generator(H, PRS, CI, sid) (§8.3): SHA-512 of the generator string, then the
 * ristretto255 element derivation of RFC 9496 §4.3.4 (the one-way map of 64 uniform bytes;
 * noble's `ristretto255_hasher.deriveToCurve`, not `hashToCurve`, which adds RFC 9380's
 * expand_message_xmd in front). Returns the generator in the internal representation.
 */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): RistrettoPoint {
  return elementDerivation(hashGeneratorString(prs, ci, sid));
}

/** A scalar from its 32-byte little-endian encoding (as the draft's vectors give ya and yb). */
export function scalarFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length !== ELEMENT_BYTES) throw new RangeError(`a scalar is ${ELEMENT_BYTES} bytes`);
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/**
 * G.sample_scalar() as §8.3 recommends: 32 random bytes, the bits above group_size_bits (252)
 * cleared, read little-endian. The result is below 2^252 < group order; zero (probability
 * 2^-252) is drawn again, since no scalar multiplication may use it.
 */
export function sampleScalar(random: (n: number) => Uint8Array = randomBytes): bigint {
  for (;;) {
    const bytes = Uint8Array.from(random(ELEMENT_BYTES));
    bytes[ELEMENT_BYTES - 1] = bytes[ELEMENT_BYTES - 1]! & 0x0f;
    const scalar = scalarFromBytes(bytes);
    if (scalar !== 0n) return scalar;
  }
}

function checkScalar(y: bigint): void {
  if (y <= 0n || y >= GROUP_ORDER) throw new RangeError('scalar out of range');
}

/** G.scalar_mult(y, _g) = encode(y · _g) (§8.3). */
export function scalarMult(y: bigint, g: RistrettoPoint): Uint8Array {
  checkScalar(y);
  return g.multiply(y).toBytes();
}

/**
 * G.scalar_mult_vfy(y, X) (§8.3): G.I if X does not decode (RFC 9496 §4.3.1 rejects
 * non-canonical encodings), otherwise encode(y · decode(X)) — G.I again if X was the neutral
 * element (ristretto255 has prime order, so y · X is neutral only then).
 */
export function scalarMultVfy(y: bigint, encoded: Uint8Array): Uint8Array {
  checkScalar(y);
  if (encoded.length !== ELEMENT_BYTES) return IDENTITY.slice();
  let point: RistrettoPoint;
  try {
    point = Point.fromBytes(encoded);
  } catch {
    return IDENTITY.slice();
  }
  return point.multiply(y).toBytes();
}

/** True if `encoded` is G.I. Not secret-dependent in a way that matters: K = G.I means abort. */
export function isIdentity(encoded: Uint8Array): boolean {
  let acc = encoded.length ^ ELEMENT_BYTES;
  for (const byte of encoded) acc |= byte;
  return acc === 0;
}

/** transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) || lv_cat(Yb, ADb) (§6.3, Appendix A.3.4). */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return concatBytes(lvCat(ya, ada), lvCat(yb, adb));
}

/** lexiographically_larger(a, b) from Appendix A.3.1. */
export function lexicographicallyLarger(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    if (a[i]! > b[i]!) return true;
    if (a[i]! < b[i]!) return false;
  }
  return a.length > b.length;
}

/** o_cat(a, b) = b"oc" || larger || smaller (Appendix A.3.2). */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const oc = utf8ToBytes('oc');
  return lexicographicallyLarger(a, b) ? concatBytes(oc, a, b) : concatBytes(oc, b, a);
}

/**
 * transcript_oc(Ya, ADa, Yb, ADb) = o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb)) (Appendix A.3.6): the
 * symmetric setting's transcript. Lockstep has fixed roles and uses `transcriptIr`; this is
 * here so the draft's parallel-execution vectors can be checked too.
 */
export function transcriptOc(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return oCat(lvCat(ya, ada), lvCat(yb, adb));
}

/** ISK = H.hash(lv_cat(G.DSI || b"_ISK", sid, K) || transcript) (§7.2). */
export function deriveIsk(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(lvCat(DSI_ISK, sid, k), transcript));
}

/** sid_output = H.hash(b"CPaceSidOutput" || transcript) (§10.6). Unused by Lockstep (it has a sid). */
export function sidOutput(transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(utf8ToBytes('CPaceSidOutput'), transcript));
}

/** mac_key = H.hash(b"CPaceMac" || sid || ISK) (§10.4). */
export function macKey(sid: Uint8Array, isk: Uint8Array): Uint8Array {
  return sha512(concatBytes(utf8ToBytes('CPaceMac'), sid, isk));
}

/**
 * A party's key-confirmation tag (§10.4): HMAC-SHA-512(mac_key, lv_cat(Y, AD)) over the message
 * it sent. Ta and Tb differ because Ya ≠ Yb and, in Lockstep, ADa ≠ ADb.
 */
export function confirmationTag(key: Uint8Array, y: Uint8Array, ad: Uint8Array): Uint8Array {
  return hmac(sha512, key, lvCat(y, ad));
}
