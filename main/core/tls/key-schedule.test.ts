import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cipherSuite, cipherSuiteByName, hkdfExpandLabel, nextTrafficSecret, parseKeylogLine, recordNonce, trafficKeys } from './key-schedule';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('traffic keys (RFC 8448 §3, the simple 1-RTT trace, TLS_AES_128_GCM_SHA256)', () => {
  const suite = cipherSuite(0x1301)!;
  it.each([
    ['server handshake', 'b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', '3fce516009c21727d0f2e4e86ee403bc', '5d313eb2671276ee13000b30'],
    ['client handshake', 'b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21', 'dbfaa693d1762c5b666af5d950258d01', '5bd3c71b836e0b76bb73265f'],
    ['server application', 'a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643', '9f02283b6c9c07efc26bb9f2ac92e356', 'cf782b88dd83549aadf1e984'],
  ])('%s key and iv', (_name, secret, key, iv) => {
    const k = trafficKeys(suite, bytes(secret));
    expect(hex(k.key)).toBe(key);
    expect(hex(k.iv)).toBe(iv);
  });
});

/** HKDF-Expand (RFC 5869 §2.3) with node:crypto's HMAC: an implementation independent of noble's. */
function expandWithNode(hash: 'sha256' | 'sha384', prk: Uint8Array, info: Uint8Array, length: number): string {
  let t = Buffer.alloc(0);
  let out = Buffer.alloc(0);
  for (let i = 1; out.length < length; i++) {
    t = createHmac(hash, prk).update(Buffer.concat([t, info, Buffer.of(i)])).digest();
    out = Buffer.concat([out, t]);
  }
  return out.subarray(0, length).toString('hex');
}

describe('HKDF-Expand-Label (RFC 8446 §7.1)', () => {
  it('encodes the label as length || "tls13 " + label || context, for SHA-384 too', () => {
    const suite = cipherSuite(0x1302)!;
    const secret = bytes('11'.repeat(48));
    const info = Buffer.concat([Buffer.of(0, 48, 'tls13 traffic upd'.length), Buffer.from('tls13 traffic upd'), Buffer.of(0)]);
    expect(hex(nextTrafficSecret(suite, secret))).toBe(expandWithNode('sha384', secret, info, 48));
    const ctx = bytes('abcd');
    const info2 = Buffer.concat([Buffer.of(0, 7, 'tls13 x'.length), Buffer.from('tls13 x'), Buffer.of(2), ctx]);
    expect(hex(hkdfExpandLabel(suite.hash, secret, 'x', ctx, 7))).toBe(expandWithNode('sha384', secret, info2, 7));
  });

  it('uses the hash and key length of each suite', () => {
    expect([0x1301, 0x1302, 0x1303].map((c) => [cipherSuite(c)!.hashLength, cipherSuite(c)!.keyLength])).toEqual([[32, 16], [48, 32], [32, 32]]);
    expect(cipherSuite(0x1304)).toBeNull();
    expect(cipherSuiteByName('TLS_CHACHA20_POLY1305_SHA256')?.code).toBe(0x1303);
  });
});

describe('record nonce (RFC 8446 §5.3)', () => {
  const iv = bytes('000102030405060708090a0b');
  it('XORs the big-endian sequence number into the right end of the IV', () => {
    expect(hex(recordNonce(iv, 0))).toBe('000102030405060708090a0b');
    expect(hex(recordNonce(iv, 1))).toBe('000102030405060708090a0a');
    expect(hex(recordNonce(iv, 0x0102030405))).toBe('0001020304050606' + '0a0a0e0e');
    expect(hex(recordNonce(iv, 2 ** 40))).toBe('000102030405070708090a0b');
    expect(hex(iv)).toBe('000102030405060708090a0b');
  });
});

describe('keylog lines', () => {
  const random = 'ab'.repeat(32);
  it('parses the NSS key log format', () => {
    const e = parseKeylogLine(Buffer.from(`CLIENT_TRAFFIC_SECRET_0 ${random} ${'CD'.repeat(32)}\n`));
    expect(e).toMatchObject({ label: 'CLIENT_TRAFFIC_SECRET_0', clientRandom: random, secretHex: 'cd'.repeat(32) });
    expect(e!.secret.length).toBe(32);
  });
  it.each(['', 'LABEL', `X ${random}`, `X ${random} zz`, `X abc ${'00'.repeat(32)}`, `x y z w`, `lower ${random} 00`])('rejects %j', (line) => {
    expect(parseKeylogLine(line)).toBeNull();
  });
});
