import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { keySharePartsOf } from '../../../shared/key-share-parts';
import { HandshakeReassembler, MAX_HANDSHAKE_MESSAGE, parseHello, type ParsedHello } from './hello-parser';
import { RecordSplitter } from './record-splitter';

const u16 = (n: number) => [n >> 8, n & 0xff];
const vec8 = (b: number[]) => [b.length, ...b];
const vec16 = (b: number[]) => [...u16(b.length), ...b];
const ext = (type: number, body: number[]) => [...u16(type), ...vec16(body)];
const ascii = (s: string) => [...Buffer.from(s)];

/** A ClientHello as a 2026 browser might send it: GREASE, a hybrid ML-KEM share, an unknown extension. */
function clientHelloBody(): Uint8Array {
  const mlkemShare = new Array(1216).fill(0xaa);
  const extensions = [
    ...ext(0, vec16([0, ...vec16(ascii('bob.example'))])),
    ...ext(10, vec16([...u16(0x2a2a), ...u16(0x11ec), ...u16(0x001d), ...u16(0x0017)])),
    ...ext(13, vec16([...u16(0x0403), ...u16(0x0804), ...u16(0x0999)])),
    ...ext(16, vec16([...vec8(ascii('lockstep/1')), ...vec8(ascii('h2'))])),
    ...ext(43, vec8([...u16(0x0304), ...u16(0x0303)])),
    ...ext(51, vec16([...u16(0x11ec), ...vec16(mlkemShare), ...u16(0x001d), ...vec16(new Array(32).fill(0xbb))])),
    ...ext(0x1234, [1, 2, 3]),
  ];
  const body = [...u16(0x0303), ...new Array(32).fill(7), ...vec8(new Array(32).fill(1)), ...vec16([...u16(0x1301), ...u16(0x1302), ...u16(0xbeef)]), ...vec8([0]), ...vec16(extensions)];
  return Uint8Array.from(body);
}

const handshake = (type: number, body: Uint8Array) => Uint8Array.from([type, 0, body.length >> 8, body.length & 0xff, ...body]);

describe('parseHello', () => {
  it('parses a ClientHello with a hybrid post-quantum key share and unknown codes', () => {
    const h = parseHello(1, clientHelloBody()) as ParsedHello;
    expect(h.summary).toEqual({
      handshakeType: 'client_hello',
      legacyVersion: 'TLS 1.2',
      versions: ['TLS 1.3', 'TLS 1.2'],
      cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', '0xbeef'],
      groups: ['GREASE(0x2a2a)', 'X25519MLKEM768', 'X25519', 'secp256r1'],
      keyShares: [
        { group: 'X25519MLKEM768', length: 1216, preview: 'aaaaaaaaaaaaaaaa' },
        { group: 'X25519', length: 32, preview: 'bbbbbbbbbbbbbbbb' },
      ],
      signatureAlgorithms: ['ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256', '0x0999'],
      alpn: ['lockstep/1', 'h2'],
      serverName: 'bob.example',
      randomPreview: '0707070707070707',
      sessionIdLength: 32,
      extensions: ['server_name', 'supported_groups', 'signature_algorithms', 'application_layer_protocol_negotiation', 'supported_versions', 'key_share', '0x1234'],
    });
    expect(h.cipherSuite).toBeNull();
  });

  it('tells a HelloRetryRequest from a ServerHello by its special random (RFC 8446 §4.1.3)', () => {
    const hrrRandom = [...Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex')];
    const exts = [...ext(43, u16(0x0304)), ...ext(51, u16(0x0017))];
    const hrr = parseHello(2, Uint8Array.from([...u16(0x0303), ...hrrRandom, 0, ...u16(0x1301), 0, ...vec16(exts)])) as ParsedHello;
    expect(hrr.summary).toMatchObject({ handshakeType: 'hello_retry_request', groups: ['secp256r1'], keyShares: [], versions: ['TLS 1.3'] });
    const shExts = [...ext(43, u16(0x0304)), ...ext(51, [...u16(0x11ec), ...vec16(new Array(1120).fill(3))])];
    const sh = parseHello(2, Uint8Array.from([...u16(0x0303), ...new Array(32).fill(9), 0, ...u16(0x1303), 0, ...vec16(shExts)])) as ParsedHello;
    expect(sh.summary).toMatchObject({ handshakeType: 'server_hello', cipherSuites: ['TLS_CHACHA20_POLY1305_SHA256'], groups: ['X25519MLKEM768'], keyShares: [{ group: 'X25519MLKEM768', length: 1120 }] });
    expect(sh.cipherSuite).toBe(0x1303);
  });

  it('returns an error, never throws, on every truncation of a valid hello', () => {
    const body = clientHelloBody();
    for (let n = 0; n < body.length; n++) {
      const r = parseHello(1, body.subarray(0, n));
      if ('error' in r) expect(r.error).toMatch(/^malformed ClientHello/);
    }
    expect(parseHello(1, body.subarray(0, 40))).toEqual({ error: expect.stringMatching(/truncated/) });
    expect(parseHello(11, body)).toEqual({ error: 'Certificate is not a hello message' });
  });

  it("parses Node's own ClientHello off a real socket", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const firstRecord = new Promise<Uint8Array>((resolve) => {
      server.once('connection', (sock) => {
        const splitter = new RecordSplitter();
        sock.on('data', (d) => {
          const [r] = splitter.push(d).records;
          if (!r) return;
          resolve(r.body);
          sock.destroy();
        });
      });
    });
    const port = (server.address() as net.AddressInfo).port;
    const client = tls.connect({ host: '127.0.0.1', port, servername: 'alice.test', ALPNProtocols: ['lockstep/1'], minVersion: 'TLSv1.3' });
    client.on('error', () => {});
    const [msg] = new HandshakeReassembler().push(await firstRecord).messages;
    server.close();
    const h = parseHello(msg!.type, msg!.body) as ParsedHello;
    expect(h.summary).toMatchObject({ handshakeType: 'client_hello', serverName: 'alice.test', alpn: ['lockstep/1'], versions: ['TLS 1.3'] });
    expect(h.summary.cipherSuites).toEqual(expect.arrayContaining(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']));
  });
});

/** ML-KEM-768 (FIPS 203: k = 3, du = 10, dv = 4) and X25519 (RFC 7748) sizes, from the specifications. */
const ML_KEM_768_EK = 384 * 3 + 32;
const ML_KEM_768_CT = 32 * (10 * 3 + 4);
const X25519_KEY = 32;

/** A hello captured from a real handshake (fixtures/capture-hellos.ts): one whole TLS record. */
function capturedHello(file: string): { record: Buffer; hello: ParsedHello } {
  const record = readFileSync(new URL(`./fixtures/${file}`, import.meta.url));
  const [r] = new RecordSplitter().push(record).records;
  const [msg] = new HandshakeReassembler().push(r!.body).messages;
  return { record, hello: parseHello(msg!.type, msg!.body) as ParsedHello };
}

describe('captured hybrid hellos (X25519MLKEM768)', () => {
  it('the ClientHello carries an ML-KEM-768 encapsulation key + X25519 key, and a plain X25519 share', () => {
    const { record, hello } = capturedHello('hybrid-client-hello.bin');
    expect(record.readUInt16BE(3)).toBe(record.length - 5);
    expect(hello.summary.groups.slice(0, 3)).toEqual(['X25519MLKEM768', 'X25519', 'secp256r1']);
    expect(hello.summary.keyShares.map((k) => [k.group, k.length])).toEqual([
      ['X25519MLKEM768', ML_KEM_768_EK + X25519_KEY],
      ['X25519', X25519_KEY],
    ]);
    // The hybrid entry on the wire: group 0x11ec, then a 2-byte length of 1,216.
    expect(record.includes(Buffer.from([0x11, 0xec, (ML_KEM_768_EK + X25519_KEY) >> 8, (ML_KEM_768_EK + X25519_KEY) & 0xff]))).toBe(true);
    expect(keySharePartsOf('X25519MLKEM768', hello.summary.keyShares[0]!.length, 'client').map((p) => p.length)).toEqual([ML_KEM_768_EK, X25519_KEY]);
    // Most of the ClientHello is the ML-KEM key.
    expect(ML_KEM_768_EK / record.length).toBeGreaterThan(0.75);
  });

  it('the ServerHello answers with an ML-KEM-768 ciphertext + X25519 key', () => {
    const { record, hello } = capturedHello('hybrid-server-hello.bin');
    expect(hello.summary).toMatchObject({ handshakeType: 'server_hello', groups: ['X25519MLKEM768'], versions: ['TLS 1.3'] });
    expect(hello.summary.keyShares.map((k) => [k.group, k.length])).toEqual([['X25519MLKEM768', ML_KEM_768_CT + X25519_KEY]]);
    expect(record.includes(Buffer.from([0x11, 0xec, (ML_KEM_768_CT + X25519_KEY) >> 8, (ML_KEM_768_CT + X25519_KEY) & 0xff]))).toBe(true);
    expect(keySharePartsOf('X25519MLKEM768', hello.summary.keyShares[0]!.length, 'server').map((p) => p.length)).toEqual([ML_KEM_768_CT, X25519_KEY]);
    expect(ML_KEM_768_CT / record.length).toBeGreaterThan(0.85);
  });

  it('a share whose length does not fit its group is not split into parts', () => {
    expect(keySharePartsOf('X25519MLKEM768', 1000, 'client')).toEqual([{ name: 'X25519MLKEM768 key share', length: 1000 }]);
  });
});

describe('HandshakeReassembler', () => {
  it('joins a message split over several records and splits several messages in one', () => {
    const a = handshake(1, clientHelloBody());
    const b = handshake(20, new Uint8Array(32));
    const both = Uint8Array.from([...a, ...b]);
    const r = new HandshakeReassembler();
    const first = r.push(both.subarray(0, 3));
    expect(first).toEqual({ messages: [], partial: 1 });
    const second = r.push(both.subarray(3, 900));
    expect(second.messages).toEqual([]);
    const third = r.push(both.subarray(900));
    expect(third.messages.map((m) => [m.type, m.body.length])).toEqual([[1, a.length - 4], [20, 32]]);
    expect(third.partial).toBeNull();
    expect(r.buffered).toBe(0);
  });

  it('refuses a message longer than the bound instead of buffering it', () => {
    const r = new HandshakeReassembler();
    const len = MAX_HANDSHAKE_MESSAGE + 1;
    const res = r.push(Uint8Array.of(11, len >> 16, (len >> 8) & 0xff, len & 0xff, 0));
    expect(res.error).toMatch(/over the limit/);
    expect(r.buffered).toBe(0);
    expect(r.push(handshake(20, new Uint8Array(1))).error).toMatch(/over the limit/);
  });
});
