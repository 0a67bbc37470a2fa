/**
 * Hand-written event fixtures, typed by shared/events.ts: what a real dialer (Bob) sees when he
 * connects to Alice, says "meet at 6", and gets the ack. Inputs for the tests, written from the
 * protocol (RFC 8446 message order), not produced by the code under test.
 */
import type { CertificateSummary, EventInput, LockstepEvent, RecordDetail } from '../../shared/events';
import type { IdentityView } from '../../shared/views';

/** SHA-256 of "alice" / "eve", and their human forms as the engine's pins.ts prints them. */
export const ALICE_PIN = 'sha256/K9gGyX8OAK8aH8Myj6djqSaXI8jbj6xPk69x2xhtbpA=';
export const ALICE_FINGERPRINT = '5FC0-DJBZ-1R0A-Y6GZ-RCS8-Z9V3-N4K9-E8Y8-VE7T-RKWK-NXRX-P63D-DT80-C';
export const EVE_PIN = 'sha256/hSYq33RRi7twx8uUzWFZ2RZp5age3x7+vVQ+rb2p+is=';
export const EVE_FINGERPRINT = 'GMK2-NQVM-A65V-PW67-SEAC-TRAS-V4B6-KSD8-3VFH-XZNX-AGZA-VFD9-Z8NG-$';

export const bobIdentity: IdentityView = {
  name: 'Bob',
  pin: 'sha256/bobbobbobbobbobbobbobbobbobbobbobbobbobbob=',
  fingerprint: 'BBBB-CCCC-DDDD-EEEE-1',
  createdAt: '2026-01-01T09:00:00.000Z',
};

function cert(name: string, pin: string): CertificateSummary {
  return {
    subject: `CN=${name}`,
    issuer: `CN=${name}`,
    validFrom: 'Jan  1 00:00:00 2026 GMT',
    validTo: 'Jan  1 00:00:00 2036 GMT',
    serialNumber: '01',
    fingerprint256: 'AB:CD:EF:01:23:45:67:89',
    pin,
    publicKeyAlgorithm: 'EC P-256',
    signatureAlgorithm: 'ecdsa-with-SHA256',
  };
}

/** Stamp seq, t and at the way the engine's bus does. */
export function stamp(inputs: EventInput[], firstSeq = 1): LockstepEvent[] {
  return inputs.map((input, i) => ({ ...input, seq: firstSeq + i, t: 1000 + (firstSeq + i) * 0.5, at: 1_767_290_400_000 + i }) as LockstepEvent);
}

const header = (type: string, length: number) => `${type}0303${length.toString(16).padStart(4, '0')}`;

function clear(conn: string, dir: 'in' | 'out', contentType: string, length: number, index: number): EventInput {
  const typeByte = { handshake: '16', change_cipher_spec: '14', alert: '15' }[contentType] ?? '17';
  const detail: RecordDetail = { index, contentType, length, headerHex: header(typeByte, length), bodyPreview: '0100', encrypted: false };
  return { conn, dir, layer: 'record', kind: 'tls.record', summary: `${contentType} record in the clear`, detail };
}

function sealed(conn: string, dir: 'in' | 'out', index: number, epoch: 'handshake' | 'application', sequence: number, inner: string, messages: string[], plaintext?: string): EventInput {
  const length = plaintext ? plaintext.length + 17 : 400;
  const detail: RecordDetail = {
    index,
    contentType: 'application_data',
    length,
    headerHex: header('17', length),
    bodyPreview: '8f1e3a7bc0d4e5f60718293a4b5c6d7e',
    encrypted: true,
    decrypted: { epoch, sequence, nonceHex: `5a1b2c3d4e5f60718293a4b${sequence}`, tagHex: 'e3b0c44298fc1c149afbf4c8996fb924', innerContentType: inner, handshakeMessages: messages, ...(plaintext !== undefined ? { plaintext } : {}) },
  };
  return { conn, dir, layer: 'record', kind: 'tls.record', summary: `encrypted record of ${length} bytes, opened independently`, detail };
}

/** Bob dials Alice: TCP, the TLS 1.3 handshake with mutual certificates, the pin check, hellos, one message and its ack. */
export function dialerSession(conn = 'c1', contactId = 'alice'): EventInput[] {
  const hello = '{"type":"hello","version":1,"name":"Bob"}\n';
  const msg = '{"type":"msg","id":"m1","sentAt":"2026-01-01T18:00:00.000Z","text":"meet at 6"}\n';
  return [
    { conn, dir: 'out', layer: 'tcp', kind: 'tcp.connect', summary: 'TCP connection open', detail: { local: { address: '127.0.0.1', port: 50512 }, remote: { address: '127.0.0.1', port: 7700 }, ms: 0.42 } },
    clear(conn, 'out', 'handshake', 1520, 0),
    {
      conn, dir: 'out', layer: 'tls', kind: 'tls.hello', summary: 'ClientHello in the clear',
      detail: {
        handshakeType: 'client_hello', legacyVersion: 'TLS 1.2', versions: ['TLS 1.3'],
        cipherSuites: ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'],
        groups: ['X25519', 'P-256'], keyShares: [{ group: 'X25519', length: 32, preview: '9f3a11c2' }],
        signatureAlgorithms: ['ecdsa_secp256r1_sha256'], alpn: ['lockstep/1'], serverName: null, randomPreview: '1a2b3c4d',
        sessionIdLength: 32, extensions: ['supported_versions', 'key_share', 'alpn'],
      },
    },
    clear(conn, 'in', 'handshake', 122, 0),
    {
      conn, dir: 'in', layer: 'tls', kind: 'tls.hello', summary: 'ServerHello in the clear',
      detail: {
        handshakeType: 'server_hello', legacyVersion: 'TLS 1.2', versions: ['TLS 1.3'], cipherSuites: ['TLS_AES_256_GCM_SHA384'],
        groups: ['X25519'], keyShares: [{ group: 'X25519', length: 32, preview: '77aa02f1' }], signatureAlgorithms: [], alpn: [],
        serverName: null, randomPreview: '5e6f7a8b', sessionIdLength: 32, extensions: ['supported_versions', 'key_share'],
      },
    },
    { conn, dir: 'local', layer: 'tls', kind: 'tls.keylog', summary: 'secret', detail: { label: 'SERVER_HANDSHAKE_TRAFFIC_SECRET', clientRandom: '1a2b3c4d5e6f7a8b9c0d' } },
    { conn, dir: 'local', layer: 'tls', kind: 'tls.keylog', summary: 'secret', detail: { label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom: '1a2b3c4d5e6f7a8b9c0d' } },
    clear(conn, 'in', 'change_cipher_spec', 1, 1),
    sealed(conn, 'in', 2, 'handshake', 0, 'handshake', ['EncryptedExtensions', 'CertificateRequest', 'Certificate', 'CertificateVerify', 'Finished']),
    clear(conn, 'out', 'change_cipher_spec', 1, 1),
    sealed(conn, 'out', 2, 'handshake', 0, 'handshake', ['Certificate', 'CertificateVerify', 'Finished']),
    {
      conn, dir: 'local', layer: 'tls', kind: 'tls.secure', summary: 'TLSv1.3 handshake complete',
      detail: {
        role: 'dialer', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', cipherStandardName: 'TLS_AES_256_GCM_SHA384', group: 'X25519',
        alpn: 'lockstep/1', peerCertificate: cert('Alice', ALICE_PIN), localCertificate: cert('Bob', bobIdentity.pin),
        signatureAlgorithms: ['ecdsa_secp256r1_sha256'], handshakeMs: 6.2,
      },
    },
    { conn, dir: 'local', layer: 'trust', kind: 'trust.check', summary: 'Pin check passed', detail: { role: 'dialer', expected: ALICE_PIN, presented: ALICE_PIN, verdict: 'match', contactId, contactName: 'Alice' } },
    { conn, dir: 'out', layer: 'app', kind: 'frame.out', summary: 'Sent hello', detail: { type: 'hello', size: hello.length } },
    sealed(conn, 'out', 3, 'application', 0, 'application_data', [], hello),
    sealed(conn, 'in', 3, 'application', 0, 'application_data', [], '{"type":"hello","version":1,"name":"Alice"}\n'),
    { conn, dir: 'in', layer: 'app', kind: 'frame.in', summary: 'Received hello', detail: { type: 'hello', size: 44 } },
    { conn, dir: 'local', layer: 'app', kind: 'conn.ready', summary: 'Connected', detail: { role: 'dialer', contactId, peerName: 'Alice', peerPin: ALICE_PIN, protocolVersion: 1 } },
    { conn, dir: 'out', layer: 'app', kind: 'frame.out', summary: 'Sent msg', detail: { type: 'msg', size: msg.length, id: 'm1' } },
    sealed(conn, 'out', 4, 'application', 1, 'application_data', [], msg),
    { conn, dir: 'local', layer: 'app', kind: 'message.sent', summary: 'Message sent', detail: { contactId, messageId: 'm1', size: msg.length } },
    sealed(conn, 'in', 4, 'application', 1, 'application_data', [], '{"type":"ack","id":"m1"}\n'),
    { conn, dir: 'in', layer: 'app', kind: 'frame.in', summary: 'Received ack', detail: { type: 'ack', size: 25, id: 'm1' } },
    { conn, dir: 'local', layer: 'app', kind: 'message.delivered', summary: 'Delivered', detail: { contactId, messageId: 'm1' } },
  ];
}

/** Bob dials "Alice", but Eve answers with her own certificate: refused at the pin check. */
export function impostorSession(conn = 'c9', contactId = 'alice'): EventInput[] {
  return [
    { conn, dir: 'out', layer: 'tcp', kind: 'tcp.connect', summary: 'TCP connection open', detail: { local: { address: '127.0.0.1', port: 50600 }, remote: { address: '127.0.0.1', port: 7701 }, ms: 0.3 } },
    { conn, dir: 'local', layer: 'trust', kind: 'trust.check', summary: 'PIN MISMATCH: this is not Alice.', detail: { role: 'dialer', expected: ALICE_PIN, presented: EVE_PIN, verdict: 'mismatch', contactId, contactName: 'Alice' } },
    { conn, dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: 'Connection closed', detail: { by: 'error', reason: 'This is not Alice', code: 'PIN_MISMATCH', contactId } },
  ];
}

/** Many encrypted records, as a bulk transfer produces: for the "does not freeze" test. */
export function bulkRecords(conn: string, count: number, firstIndex = 10): EventInput[] {
  const out: EventInput[] = [];
  for (let i = 0; i < count; i++) out.push(sealed(conn, 'out', firstIndex + i, 'application', 2 + i, 'application_data', [], `{"type":"msg","id":"b${i}","text":"bulk ${i}"}\n`));
  return out;
}
