/**
 * A second implementation of Lockstep's pairing (PROTOCOL.md §6.3–§6.4), written from the
 * document alone, for the test vector in `test/fixtures/pairing-vector.json`. It shares no code
 * with `main/core/pairing/`: hashes and HMAC come from node:crypto (the engine uses
 * @noble/hashes), and only the ristretto255 group itself (RFC 9496 decode, encode, element
 * derivation) comes from @noble/curves, as a group is not something to write twice.
 */
import { createHash, createHmac } from 'node:crypto';

import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';

const sha512 = (...parts: Uint8Array[]): Buffer => createHash('sha512').update(Buffer.concat(parts)).digest();
const ascii = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Unsigned LEB128 (PROTOCOL.md §6.3). */
function leb128(n: number): Buffer {
  const out: number[] = [];
  do {
    const low = n & 0x7f;
    n >>>= 7;
    out.push(n ? low | 0x80 : low);
  } while (n);
  return Buffer.from(out);
}

const prependLen = (b: Uint8Array): Buffer => Buffer.concat([leb128(b.length), b]);
const lvCat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts.map(prependLen));

/** A scalar from 32 little-endian bytes. */
const scalarOf = (le: Uint8Array): bigint => BigInt(`0x${Buffer.from(le).reverse().toString('hex') || '0'}`);

export interface PairingVectorInput {
  /** The code as PROTOCOL.md §6.1's canonical form (the PRS). */
  prs: string;
  dialerPin: string;
  listenerPin: string;
  /** The 32-byte TLS exporter value (sid), hex. */
  exporter: string;
  /** The two secret scalars, 32 bytes little-endian, hex. */
  ya: string;
  yb: string;
}

export interface PairingVectorOutput {
  ci: string;
  generatorString: string;
  generator: string;
  Ya: string;
  Yb: string;
  K: string;
  ISK: string;
  Ta: string;
  Tb: string;
}

const pinBytes = (pin: string): Buffer => Buffer.from(pin.replace(/^sha256\//, ''), 'base64');
const hex = (text: string): Buffer => Buffer.from(text, 'hex');

export function referencePairing(input: PairingVectorInput): PairingVectorOutput {
  const prs = ascii(input.prs);
  const sid = hex(input.exporter);
  const dsi = ascii('CPaceRistretto255');
  const ci = lvCat(ascii('lockstep-pairing-v1'), pinBytes(input.dialerPin), pinBytes(input.listenerPin));
  const zpad = Math.max(0, 128 - 1 - prependLen(prs).length - prependLen(dsi).length);
  const generatorString = lvCat(dsi, prs, Buffer.alloc(zpad), ci, sid);
  const g = ristretto255_hasher.deriveToCurve!(sha512(generatorString));
  const ya = scalarOf(hex(input.ya));
  const yb = scalarOf(hex(input.yb));
  const Ya = g.multiply(ya).toBytes();
  const Yb = g.multiply(yb).toBytes();
  // Both sides must reach the same K: check it here, so a wrong reference cannot make a vector.
  const K = ristretto255.Point.fromBytes(Yb).multiply(ya).toBytes();
  const K2 = ristretto255.Point.fromBytes(Ya).multiply(yb).toBytes();
  if (!Buffer.from(K).equals(Buffer.from(K2))) throw new Error('reference: the two sides disagree on K');
  const ADa = ascii('dialer');
  const ADb = ascii('listener');
  const isk = sha512(lvCat(ascii('CPaceRistretto255_ISK'), sid, K), lvCat(Ya, ADa), lvCat(Yb, ADb));
  const macKey = sha512(ascii('CPaceMac'), sid, isk);
  const tag = (y: Uint8Array, ad: Buffer) => createHmac('sha512', macKey).update(lvCat(y, ad)).digest();
  const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    ci: toHex(ci),
    generatorString: toHex(generatorString),
    generator: toHex(g.toBytes()),
    Ya: toHex(Ya),
    Yb: toHex(Yb),
    K: toHex(K),
    ISK: toHex(isk),
    Ta: toHex(tag(Ya, ADa)),
    Tb: toHex(tag(Yb, ADb)),
  };
}
