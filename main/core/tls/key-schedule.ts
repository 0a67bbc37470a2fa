/**
 * The slice of the TLS 1.3 key schedule an observer needs, written independently of OpenSSL:
 * from a traffic secret (given by the keylog) to record key, IV and nonce, and the KeyUpdate
 * ratchet. Uses @noble/hashes and @noble/ciphers only, so the panel's decryption is a real
 * second opinion on what Node's TLS did.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/aes.js';
import { expand } from '@noble/hashes/hkdf.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { type KeyedAead, keyedAesGcm, keyedChacha20Poly1305 } from './keyed-aead';
import { cipherSuiteName } from './tls-names';

type Hash = typeof sha256 | typeof sha384;

export interface Aead {
  /** Opens `ciphertext || tag`; throws when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
}

export interface CipherSuite {
  code: number;
  name: string;
  hash: Hash;
  hashLength: number;
  keyLength: number;
  /** All three TLS 1.3 AEADs here use a 12-byte IV and a 16-byte tag (RFC 8446 §5.3, §B.4). */
  ivLength: 12;
  tagLength: 16;
  aead: Aead;
  /** The same AEAD with its key set-up done once, for the many records of one traffic key. */
  keyed: (key: Uint8Array) => KeyedAead;
}

const aesGcm: Aead = {
  open: (key, nonce, aad, sealed) => gcm(key, nonce, aad).decrypt(sealed),
  seal: (key, nonce, aad, pt) => gcm(key, nonce, aad).encrypt(pt),
};
const chacha: Aead = {
  open: (key, nonce, aad, sealed) => chacha20poly1305(key, nonce, aad).decrypt(sealed),
  seal: (key, nonce, aad, pt) => chacha20poly1305(key, nonce, aad).encrypt(pt),
};

const suite = (code: number, hash: Hash, keyLength: number, aead: Aead, keyed: (key: Uint8Array) => KeyedAead): CipherSuite => ({
  code,
  keyed,
  name: cipherSuiteName(code),
  hash,
  hashLength: hash.outputLen,
  keyLength,
  ivLength: 12,
  tagLength: 16,
  aead,
});

/** RFC 8446 §B.4. The CCM suites are not offered by Node or BoringSSL by default: not supported. */
const SUITES = new Map<number, CipherSuite>([
  [0x1301, suite(0x1301, sha256, 16, aesGcm, keyedAesGcm)],
  [0x1302, suite(0x1302, sha384, 32, aesGcm, keyedAesGcm)],
  [0x1303, suite(0x1303, sha256, 32, chacha, keyedChacha20Poly1305)],
]);

export function cipherSuite(code: number): CipherSuite | null {
  return SUITES.get(code) ?? null;
}

/** By IANA name, as `TLSSocket.getCipher().standardName` gives it. */
export function cipherSuiteByName(name: string): CipherSuite | null {
  for (const s of SUITES.values()) if (s.name === name) return s;
  return null;
}

const encoder = new TextEncoder();

/**
 * HKDF-Expand-Label (RFC 8446 §7.1):
 *   HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + Label || opaque context<0..255>
 */
export function hkdfExpandLabel(hash: Hash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const fullLabel = encoder.encode('tls13 ' + label);
  const info = new Uint8Array(2 + 1 + fullLabel.length + 1 + context.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = fullLabel.length;
  info.set(fullLabel, 3);
  info[3 + fullLabel.length] = context.length;
  info.set(context, 4 + fullLabel.length);
  return expand(hash, secret, info, length);
}

export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/** RFC 8446 §7.3: write_key = Expand-Label(secret, "key", "", key_length); same for "iv". */
export function trafficKeys(s: CipherSuite, secret: Uint8Array): TrafficKeys {
  const empty = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(s.hash, secret, 'key', empty, s.keyLength),
    iv: hkdfExpandLabel(s.hash, secret, 'iv', empty, s.ivLength),
  };
}

/** RFC 8446 §7.2: application_traffic_secret_N+1 = Expand-Label(secret_N, "traffic upd", "", Hash.length). */
export function nextTrafficSecret(s: CipherSuite, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(s.hash, secret, 'traffic upd', new Uint8Array(0), s.hashLength);
}

/**
 * RFC 8446 §5.3: the 64-bit record sequence number, big-endian, left-padded to iv_length and
 * XORed with the static IV. Sequence numbers stay far below 2^53 here, so a JS number is exact.
 */
export function recordNonce(iv: Uint8Array, sequence: number): Uint8Array {
  const nonce = iv.slice();
  let seq = sequence;
  for (let i = nonce.length - 1; i >= nonce.length - 8 && seq > 0; i--) {
    nonce[i]! ^= seq % 256;
    seq = Math.floor(seq / 256);
  }
  return nonce;
}

/** The keylog labels a TLS 1.3 endpoint writes (NSS key log format). */
export type KeylogLabel =
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET'
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'EARLY_EXPORTER_SECRET';

export interface KeylogEntry {
  label: string;
  clientRandom: string;
  secretHex: string;
  secret: Uint8Array;
}

const HEX = /^[0-9a-fA-F]+$/;

/** Parse one NSS key log line (`LABEL <client_random hex> <secret hex>`); null when malformed. */
export function parseKeylogLine(line: string | Uint8Array): KeylogEntry | null {
  const text = typeof line === 'string' ? line : Buffer.from(line).toString('latin1');
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 3) return null;
  const [label, clientRandom, secretHex] = parts as [string, string, string];
  if (!/^[A-Z0-9_]+$/.test(label) || clientRandom.length !== 64 || !HEX.test(clientRandom)) return null;
  if (secretHex.length % 2 !== 0 || secretHex.length > 128 || !HEX.test(secretHex)) return null;
  return {
    label,
    clientRandom: clientRandom.toLowerCase(),
    secretHex: secretHex.toLowerCase(),
    secret: Uint8Array.from(Buffer.from(secretHex, 'hex')),
  };
}
