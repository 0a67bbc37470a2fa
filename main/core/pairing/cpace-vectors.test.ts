/**
 * The specification's own test vectors, copied as data from draft-irtf-cfrg-cpace-21
 * (M. Abdalla, B. Haase, J. Hesse: "CPace, a balanced composable PAKE"), text version as
 * published in the draft's repository (github.com/cfrg/draft-irtf-cfrg-cpace,
 * draft-irtf-cfrg-cpace-21/draft-irtf-cfrg-cpace.txt):
 *   - Appendix A.1.2 (prepend_len), A.1.4 (lv_cat), A.3.3 (o_cat), A.3.5 (transcript_ir),
 *     A.3.7 (transcript_oc);
 *   - Appendix B.3 "Test vector for CPace using group ristretto255 and hash SHA-512":
 *     B.3.1 generator, B.3.2 Ya, B.3.3 Yb, B.3.4 K, B.3.5 ISK (initiator/responder),
 *     B.3.6 ISK (parallel), B.3.7 sid_output, B.3.10 scalar_mult with valid inputs,
 *     B.3.11 invalid inputs for scalar_mult_vfy.
 * The draft has no vectors for the §10.4 confirmation tags; those are checked against an
 * independent HMAC (node:crypto) over the vectors' ISK below.
 */
import { createHash, createHmac } from 'node:crypto';

import { ristretto255 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';

import {
  calculateGenerator,
  confirmationTag,
  deriveIsk,
  DSI,
  DSI_ISK,
  generatorString,
  hashGeneratorString,
  IDENTITY,
  isIdentity,
  leb128,
  lexicographicallyLarger,
  lvCat,
  macKey,
  oCat,
  prependLen,
  sampleScalar,
  scalarFromBytes,
  scalarMult,
  scalarMultVfy,
  SHA512_BLOCK_BYTES,
  sidOutput,
  transcriptIr,
  transcriptOc,
} from './cpace';

/** Hex as the draft prints it: wrapped over several lines; whitespace is dropped. */
const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const range = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('draft-irtf-cfrg-cpace-21 Appendix A: string utilities', () => {
  it('A.1.2 prepend_len', () => {
    expect(toHex(prependLen(ascii('')))).toBe('00');
    expect(toHex(prependLen(ascii('1234')))).toBe('0431323334');
    expect(toHex(prependLen(range(127)))).toBe(`7f${toHex(range(127))}`);
    expect(toHex(prependLen(range(128)))).toBe(`8001${toHex(range(128))}`);
    // LEB128 beyond one and two bytes (not in the draft; RFC-style LEB128 values).
    expect(toHex(leb128(0))).toBe('00');
    expect(toHex(leb128(300))).toBe('ac02');
    expect(toHex(leb128(16_384))).toBe('808001');
  });

  it('A.1.4 lv_cat', () => {
    expect(toHex(lvCat(ascii('1234'), ascii('5'), ascii(''), ascii('678')))).toBe('043132333401350003363738');
  });

  it('A.3.3 lexicographical ordering and o_cat', () => {
    expect(lexicographicallyLarger(hex('00'), hex('0000'))).toBe(false);
    expect(lexicographicallyLarger(hex('01'), hex('0000'))).toBe(true);
    expect(lexicographicallyLarger(hex('0000'), hex('00'))).toBe(true);
    expect(lexicographicallyLarger(hex('0000'), hex('01'))).toBe(false);
    expect(lexicographicallyLarger(hex('0001'), hex('01'))).toBe(false);
    expect(lexicographicallyLarger(ascii('ABCD'), ascii('BCD'))).toBe(false);
    expect(toHex(oCat(ascii('ABCD'), ascii('BCD')))).toBe('6f6342434441424344');
    expect(toHex(oCat(ascii('BCD'), ascii('ABCDE')))).toBe('6f634243444142434445');
  });

  it('A.3.5 transcript_ir', () => {
    expect(toHex(transcriptIr(ascii('123'), ascii('PartyA'), ascii('234'), ascii('PartyB')))).toBe(
      '03313233065061727479410332333406506172747942',
    );
    expect(toHex(transcriptIr(ascii('3456'), ascii('PartyA'), ascii('2345'), ascii('PartyB')))).toBe(
      '043334353606506172747941043233343506506172747942',
    );
  });

  it('A.3.7 transcript_oc', () => {
    expect(toHex(transcriptOc(ascii('123'), ascii('PartyA'), ascii('234'), ascii('PartyB')))).toBe(
      '6f6303323334065061727479420331323306506172747941',
    );
    expect(toHex(transcriptOc(ascii('3456'), ascii('PartyA'), ascii('2345'), ascii('PartyB')))).toBe(
      '6f63043334353606506172747941043233343506506172747942',
    );
  });
});

// Appendix B.3: CPace using group ristretto255 and hash SHA-512.
const B3 = {
  PRS: ascii('Password'),
  CI: hex('0b415f696e69746961746f720b425f726573706f6e646572'), // b'\x0bA_initiator\x0bB_responder'
  sid: hex('7e4b4791d6a8ef019b936c79fb7f2c57'),
  zpadLength: 100,
  generatorString: hex(`
    11435061636552697374726574746f3235350850617373776f726464
    00000000000000000000000000000000000000000000000000000000
    00000000000000000000000000000000000000000000000000000000
    00000000000000000000000000000000000000000000000000000000
    00000000000000000000000000000000180b415f696e69746961746f
    720b425f726573706f6e646572107e4b4791d6a8ef019b936c79fb7f
    2c57`),
  hashResult: hex(`
    da6d3ddc8802fca9058755ffd3ebde08a9c2c74945901a258482a288
    b6663af06bf645c93cd1c51512307199c80e84908916d983b34af772
    05f90851a657ee27`),
  g: hex('222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56'),
  ADa: ascii('ADa'),
  ya: hex('da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08'),
  Ya: hex('d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157'),
  ADb: ascii('ADb'),
  yb: hex('d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d'),
  Yb: hex('3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258'),
  K: hex('80b69a8a76457ab6a4d7f887a4bf6b55a2f80ac19c333f917a05fc9887c8b40f'),
  transcriptIr: hex(`
    20d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0e
    ec482b915703414461203ea7e0b19560d7c0b0f5734f63b955286dfa
    8232b5ebe63324e2d9e7433f725803414462`),
  dsiIsk: hex('435061636552697374726574746f3235355f49534b'),
  iskInputIr: hex(`
    15435061636552697374726574746f3235355f49534b107e4b4791d6
    a8ef019b936c79fb7f2c572080b69a8a76457ab6a4d7f887a4bf6b55
    a2f80ac19c333f917a05fc9887c8b40f20d6bac480f2c386c394efc7
    c47adb9925dcd2630b64f240c50f8d0eec482b915703414461203ea7
    e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f
    725803414462`),
  iskIr: hex(`
    b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dc
    ae7b35cd2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c
    3fa2068af7900447`),
  transcriptOc: hex(`
    6f6320d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f
    8d0eec482b915703414461203ea7e0b19560d7c0b0f5734f63b95528
    6dfa8232b5ebe63324e2d9e7433f725803414462`),
  iskInputOc: hex(`
    15435061636552697374726574746f3235355f49534b107e4b4791d6
    a8ef019b936c79fb7f2c572080b69a8a76457ab6a4d7f887a4bf6b55
    a2f80ac19c333f917a05fc9887c8b40f6f6320d6bac480f2c386c394
    efc7c47adb9925dcd2630b64f240c50f8d0eec482b91570341446120
    3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7
    433f725803414462`),
  iskOc: hex(`
    544199d71f62f8d9a1fee55727e24fe4a45844593c2b6013c4fa3969
    d0e5debb2244675c0b43397cbb68d342b01fc0f98fc961469a25134d
    e9f0f813c1a57476`),
  sidOutputIr: hex(`
    bb1c449b35f0ea79a65c209f329a693d475e0ce2387bed9fe4b78f60
    b2a27c219813fb2cfe175ef40d2222d9261e66da7d78f7c55a303b1b
    8611dcdfab880c47`),
  sidOutputOc: hex(`
    10d5941d4933497fe31b9188d690b84465e2a2d158332a7267284a07
    1a8d0876fc5c8c329dc735d59a9f8ef6623ee23924704a2f929dd631
    ca981227ee82fff2`),
};

// B.3.10 and B.3.11.
const B3_10 = {
  s: hex('7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05'),
  X: hex('2c3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c'),
  result: hex('7c13645fe790a468f62c39beb7388e541d8405d1ade69d1778c5fe3e7f6b600e'),
  Yi1: hex('2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c'),
  Yi2: hex('0000000000000000000000000000000000000000000000000000000000000000'),
};

describe('draft-irtf-cfrg-cpace-21 Appendix B.3: ristretto255 / SHA-512', () => {
  it('B.3.1 generator_string, its hash and the encoded generator g', () => {
    expect(toHex(DSI)).toBe('435061636552697374726574746f323535'); // b'CPaceRistretto255'
    const genStr = generatorString(DSI, B3.PRS, B3.CI, B3.sid, SHA512_BLOCK_BYTES);
    expect(genStr.length).toBe(170);
    expect(toHex(genStr)).toBe(toHex(B3.generatorString));
    // ZPAD length 100: after prepend_len(DSI) (18) and prepend_len(PRS) (9) comes a 0x64 (= 100) length byte.
    expect(genStr[27]).toBe(B3.zpadLength);
    expect(toHex(hashGeneratorString(B3.PRS, B3.CI, B3.sid))).toBe(toHex(B3.hashResult));
    expect(toHex(calculateGenerator(B3.PRS, B3.CI, B3.sid).toBytes())).toBe(toHex(B3.g));
  });

  it('B.3.2 and B.3.3 the messages Ya = ya·g and Yb = yb·g', () => {
    const g = calculateGenerator(B3.PRS, B3.CI, B3.sid);
    expect(toHex(scalarMult(scalarFromBytes(B3.ya), g))).toBe(toHex(B3.Ya));
    expect(toHex(scalarMult(scalarFromBytes(B3.yb), g))).toBe(toHex(B3.Yb));
  });

  it('B.3.4 K = scalar_mult_vfy(ya, Yb) = scalar_mult_vfy(yb, Ya)', () => {
    expect(toHex(scalarMultVfy(scalarFromBytes(B3.ya), B3.Yb))).toBe(toHex(B3.K));
    expect(toHex(scalarMultVfy(scalarFromBytes(B3.yb), B3.Ya))).toBe(toHex(B3.K));
    expect(isIdentity(B3.K)).toBe(false);
  });

  it('B.3.5 ISK in the initiator/responder setting (the one Lockstep uses)', () => {
    const transcript = transcriptIr(B3.Ya, B3.ADa, B3.Yb, B3.ADb);
    expect(toHex(transcript)).toBe(toHex(B3.transcriptIr));
    expect(toHex(DSI_ISK)).toBe(toHex(B3.dsiIsk));
    const iskInput = new Uint8Array([...lvCat(DSI_ISK, B3.sid, B3.K), ...transcript]);
    expect(toHex(iskInput)).toBe(toHex(B3.iskInputIr));
    expect(toHex(deriveIsk(B3.sid, B3.K, transcript))).toBe(toHex(B3.iskIr));
  });

  it('B.3.6 ISK in the parallel (ordered concatenation) setting', () => {
    const transcript = transcriptOc(B3.Ya, B3.ADa, B3.Yb, B3.ADb);
    expect(toHex(transcript)).toBe(toHex(B3.transcriptOc));
    const iskInput = new Uint8Array([...lvCat(DSI_ISK, B3.sid, B3.K), ...transcript]);
    expect(toHex(iskInput)).toBe(toHex(B3.iskInputOc));
    expect(toHex(deriveIsk(B3.sid, B3.K, transcript))).toBe(toHex(B3.iskOc));
  });

  it('B.3.7 sid_output for both transcripts', () => {
    expect(toHex(sidOutput(transcriptIr(B3.Ya, B3.ADa, B3.Yb, B3.ADb)))).toBe(toHex(B3.sidOutputIr));
    expect(toHex(sidOutput(transcriptOc(B3.Ya, B3.ADa, B3.Yb, B3.ADb)))).toBe(toHex(B3.sidOutputOc));
  });

  it('B.3.10 scalar_mult and scalar_mult_vfy with valid inputs', () => {
    const s = scalarFromBytes(B3_10.s);
    expect(toHex(scalarMultVfy(s, B3_10.X))).toBe(toHex(B3_10.result));
    // G.scalar_mult(s, decode(X)): decode with RFC 9496 §4.3.1, then multiply.
    expect(toHex(scalarMult(s, ristretto255.Point.fromBytes(B3_10.X)))).toBe(toHex(B3_10.result));
  });

  it('B.3.11 invalid inputs for scalar_mult_vfy give G.I (a non-canonical encoding, and G.I itself)', () => {
    const s = scalarFromBytes(B3_10.s);
    expect(toHex(scalarMultVfy(s, B3_10.Yi1))).toBe(toHex(IDENTITY));
    expect(toHex(scalarMultVfy(s, B3_10.Yi2))).toBe(toHex(IDENTITY));
    expect(isIdentity(scalarMultVfy(s, B3_10.Yi1))).toBe(true);
    expect(isIdentity(scalarMultVfy(s, B3_10.Yi2))).toBe(true);
    // Wrong lengths are not elements either.
    expect(isIdentity(scalarMultVfy(s, B3_10.X.subarray(0, 31)))).toBe(true);
    expect(isIdentity(scalarMultVfy(s, new Uint8Array([...B3_10.X, 0])))).toBe(true);
  });

  it('§10.4 confirmation: mac_key and the two tags, against node:crypto over the B.3 ISK', () => {
    const key = macKey(B3.sid, B3.iskIr);
    const expectedKey = createHash('sha512').update('CPaceMac').update(B3.sid).update(B3.iskIr).digest('hex');
    expect(toHex(key)).toBe(expectedKey);
    const ta = confirmationTag(key, B3.Ya, B3.ADa);
    const tb = confirmationTag(key, B3.Yb, B3.ADb);
    expect(toHex(ta)).toBe(createHmac('sha512', key).update(lvCat(B3.Ya, B3.ADa)).digest('hex'));
    expect(toHex(tb)).toBe(createHmac('sha512', key).update(lvCat(B3.Yb, B3.ADb)).digest('hex'));
    expect(toHex(ta)).not.toBe(toHex(tb));
  });
});

describe('sample_scalar (§8.3)', () => {
  it('clears the bits above 252 and reads little-endian', () => {
    const allOnes = () => new Uint8Array(32).fill(0xff);
    expect(sampleScalar(allOnes)).toBe((1n << 252n) - 1n);
  });

  it('draws again rather than return zero', () => {
    let calls = 0;
    const zeroThenOne = (n: number) => {
      calls += 1;
      const out = new Uint8Array(n);
      if (calls > 1) out[0] = 1;
      return out;
    };
    expect(sampleScalar(zeroThenOne)).toBe(1n);
    expect(calls).toBe(2);
  });

  it('gives distinct scalars from the system RNG', () => {
    const seen = new Set(Array.from({ length: 16 }, () => sampleScalar().toString(16)));
    expect(seen.size).toBe(16);
  });
});
