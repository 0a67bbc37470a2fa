/**
 * Hand-written drill streams, typed by shared/events.ts: Bob (the dialer) reaches Alice through
 * Eve, who flips a bit of his first message; Alice's tag check rejects it and her alert comes
 * back; Bob's engine and Eve's (on Bob's stream) each give their verdict. Written from what the
 * engine emits (relay, verdicts), not produced by the code under test.
 */
import type { EventInput } from '../../shared/events';
import { ALICE_PIN, EVE_PIN } from './fixtures';

const BOB_SOCKET = { address: '127.0.0.1', port: 50700 };

/** Mark Eve's events as the engine does (events.ts EveTag): her relay `eve`, and the impostor's legs `eve/dialer`, `eve/listener`. */
function asEngineTagsEve(events: EventInput[], eve: string): EventInput[] {
  const legs: Record<string, 'dialer' | 'listener' | null> = { [eve]: null, [`${eve}/dialer`]: 'dialer', [`${eve}/listener`]: 'listener' };
  return events.map((e) => (e.conn !== null && e.conn in legs ? { ...e, eve: { relay: eve, leg: legs[e.conn]! } } : e));
}
const EVE_PORT = { address: '127.0.0.1', port: 41000 };

/** Eve's relay of one connection: what she sees of each record, and the bit she flips. */
export function tamperThroughEve(conn = 'out-2', eve = 'eve1-1'): EventInput[] {
  return asEngineTagsEve([
    { conn: eve, dir: 'in', layer: 'tcp', kind: 'tcp.accept', summary: 'A dialer connected to Eve', detail: { local: EVE_PORT, remote: BOB_SOCKET } },
    { conn, dir: 'out', layer: 'tcp', kind: 'tcp.connect', summary: 'TCP connection open', detail: { local: BOB_SOCKET, remote: EVE_PORT, ms: 0.3 } },
    { conn: eve, dir: 'out', layer: 'tcp', kind: 'tcp.connect', summary: 'Eve opened her own TCP connection to the listener', detail: { local: { address: '127.0.0.1', port: 50701 }, remote: { address: '127.0.0.1', port: 7700 }, ms: 0.2 } },
    {
      conn: eve, dir: 'in', layer: 'drill', kind: 'drill.eve', summary: 'Eve relayed record #0 from the dialer, a handshake record in the clear',
      detail: { mode: 'tamper', action: 'relayed', from: 'dialer', bytes: 517, hex: '16 03 01 02 00 01 00 01 fc 03 03 9a 1b …', ascii: '............', recordIndex: 0, flipped: null },
    },
    {
      conn: eve, dir: 'out', layer: 'drill', kind: 'drill.eve', summary: 'Eve relayed record #1 from the listener, a change_cipher_spec record',
      detail: { mode: 'tamper', action: 'relayed', from: 'listener', bytes: 6, hex: '14 03 03 00 01 01', ascii: '......', recordIndex: 1, flipped: null },
    },
    {
      conn, dir: 'local', layer: 'trust', kind: 'trust.check', summary: 'Pin check passed',
      detail: { role: 'dialer', expected: ALICE_PIN, presented: ALICE_PIN, verdict: 'match', contactId: 'alice', contactName: 'Alice' },
    },
    {
      conn: eve, dir: 'in', layer: 'drill', kind: 'drill.eve', summary: 'Eve flipped bit 0 of byte 7 in record #4 from the dialer',
      detail: { mode: 'tamper', action: 'flipped', from: 'dialer', bytes: 120, hex: '17 03 03 00 73 8f 1e 3b 7b c0 …', ascii: '.....', recordIndex: 4, flipped: { byteOffset: 7, bit: 0 } },
    },
    {
      conn, dir: 'in', layer: 'tls', kind: 'tls.error', summary: 'The peer sent a fatal alert: bad_record_mac',
      detail: { code: 'TLS_ALERT', message: 'fatal alert bad_record_mac (from the peer)', alert: 'bad_record_mac', failure: 'bad-record-mac' },
    },
    {
      conn, dir: 'local', layer: 'tls', kind: 'tls.error', summary: 'A record failed its integrity check (bad_record_mac)',
      detail: { code: 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC', message: 'ssl3_read_bytes:sslv3 alert bad record mac', alert: 'bad record mac', failure: 'bad-record-mac' },
    },
    {
      conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'The other side rejected a record from this side',
      detail: { drill: 'tamper', outcome: 'defeated', reason: 'The other side rejected a record from this side: it failed the integrity check on arrival (bad_record_mac).' },
    },
    { conn, dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: 'Connection closed', detail: { by: 'error', reason: 'integrity check failed', code: 'TLS_ERROR', contactId: 'alice' } },
    {
      conn: eve, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'Tamper defeated.',
      detail: { drill: 'tamper', outcome: 'defeated', reason: 'Eve flipped bit 0 of byte 7 in record #4 from the dialer. The listener closed the connection.' },
    },
  ], eve);
}

/** Bob dials "Alice" through Eve the impostor: her key, his refusal, her verdict. */
export function impostorThroughEve(conn = 'out-3', eve = 'eve2-1'): EventInput[] {
  const socket = { address: '127.0.0.1', port: 50800 };
  return asEngineTagsEve([
    { conn: eve, dir: 'in', layer: 'tcp', kind: 'tcp.accept', summary: 'A dialer connected to Eve', detail: { local: EVE_PORT, remote: socket } },
    { conn, dir: 'out', layer: 'tcp', kind: 'tcp.connect', summary: 'TCP connection open', detail: { local: socket, remote: EVE_PORT, ms: 0.3 } },
    {
      conn: `${eve}/dialer`, dir: 'out', layer: 'tls', kind: 'tls.hello', summary: 'ServerHello (in the clear)',
      detail: {
        handshakeType: 'server_hello', legacyVersion: 'TLS 1.2', versions: ['TLS 1.3'], cipherSuites: ['TLS_AES_256_GCM_SHA384'], groups: ['X25519'],
        keyShares: [{ group: 'X25519', length: 32, preview: '0e0e0e0e' }], signatureAlgorithms: [], alpn: [], serverName: null, randomPreview: 'eeee', sessionIdLength: 32, extensions: [],
      },
    },
    {
      conn: `${eve}/dialer`, dir: 'local', layer: 'drill', kind: 'drill.eve', summary: 'Eve finished a TLS handshake with the dialer presenting her own certificate',
      detail: { mode: 'impostor', action: 'terminated', from: 'dialer', bytes: 0, hex: '', ascii: '' },
    },
    {
      conn, dir: 'local', layer: 'trust', kind: 'trust.check', summary: 'PIN MISMATCH: this is not Alice.',
      detail: { role: 'dialer', expected: ALICE_PIN, presented: EVE_PIN, verdict: 'mismatch', contactId: 'alice', contactName: 'Alice' },
    },
    {
      conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'impostor',
      detail: { drill: 'impostor', outcome: 'defeated', reason: 'The key presented is not the one pinned for Alice: this is not Alice. Refused before any message was sent.' },
    },
    { conn, dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: 'Connection closed', detail: { by: 'error', reason: 'This is not Alice', code: 'PIN_MISMATCH', contactId: 'alice' } },
    {
      conn: eve, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'Impostor defeated by the pin check.',
      detail: { drill: 'impostor', outcome: 'defeated', reason: 'Eve presented her own certificate to both sides. Eve read no message from the dialer.' },
    },
  ], eve);
}
