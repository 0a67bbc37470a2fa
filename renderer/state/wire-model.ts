/**
 * Pure views over the event stream for the "wire" panels: the record that carried a message and
 * its independent witness, Eve's hex dump, the key schedule, and the drills' verdicts.
 */
import type { EventBase, LockstepEvent } from '../../shared/events';
import { isPostQuantum, keySharePartsOf, type KeySharePart } from '../../shared/key-share-parts';
import { readCarried } from './record-steps';

export type RecordEvent = EventBase<'tls.record'>;
export type WitnessEvent = EventBase<'tls.witness'>;

export interface RecordHeader {
  typeHex: string;
  typeName: string;
  versionHex: string;
  lengthHex: string;
  length: number;
}

const contentTypes: Record<string, string> = { '14': 'change_cipher_spec', '15': 'alert', '16': 'handshake', '17': 'application_data' };

/** The 5-byte TLS record header: type (1), legacy version (2), length (2). */
export function parseHeader(headerHex: string): RecordHeader | null {
  const hex = headerHex.replace(/[^0-9a-f]/gi, '').toLowerCase();
  if (hex.length < 10) return null;
  const typeHex = hex.slice(0, 2);
  return {
    typeHex,
    typeName: contentTypes[typeHex] ?? 'unknown',
    versionHex: hex.slice(2, 6),
    lengthHex: hex.slice(6, 10),
    length: Number.parseInt(hex.slice(6, 10), 16),
  };
}

export interface CarriedRecord {
  record: RecordEvent;
  /** The message text the independent decryptor read out of the record, when it could. */
  text: string | null;
  witness: WitnessEvent | null;
}

/** The application record that carried a chat message, and the witness that compared it, if any. */
export function recordOfMessage(events: readonly LockstepEvent[], messageId: string): CarriedRecord | null {
  for (const event of events) {
    if (event.kind !== 'tls.record') continue;
    const plaintext = event.detail.decrypted?.plaintext;
    if (plaintext === undefined) continue;
    const carried = readCarried(plaintext);
    if (carried.messageId !== messageId) continue;
    const witness =
      events.find(
        (e): e is WitnessEvent => e.kind === 'tls.witness' && e.conn === event.conn && e.dir === event.dir && e.detail.recordIndex === event.detail.index,
      ) ?? null;
    return { record: event, text: carried.text, witness };
  }
  return null;
}

/** Hex string in groups of bytes: "17 03 03 00 2a". */
export function spacedHex(hex: string): string {
  return (hex.replace(/[^0-9a-f]/gi, '').match(/../g) ?? []).join(' ');
}

export interface DumpLine {
  key: string;
  offset: string;
  hex: string;
  ascii: string;
}

export interface EveChunk {
  seq: number;
  conn: string;
  from: 'dialer' | 'listener';
  mode: string;
  action: string;
  bytes: number;
  lines: DumpLine[];
  /** Bytes Eve relayed but the event did not include (the dump shows a prefix). */
  omitted: number;
}

const COLUMNS = 16;

/** Eve's chunks as a classic hex dump, 16 bytes a line, offsets counted per conn and direction. */
export function eveDump(events: readonly LockstepEvent[], limit = 60): EveChunk[] {
  const offsets = new Map<string, number>();
  const chunks: EveChunk[] = [];
  for (const event of events) {
    if (event.kind !== 'drill.eve' || !event.conn) continue;
    const d = event.detail;
    const key = `${event.conn}:${d.from}`;
    const start = offsets.get(key) ?? 0;
    offsets.set(key, start + d.bytes);
    const bytes = d.hex.replace(/[^0-9a-f]/gi, '').match(/../g) ?? [];
    const ascii = [...d.ascii];
    const lines: DumpLine[] = [];
    for (let i = 0; i < bytes.length; i += COLUMNS) {
      lines.push({
        key: `${event.seq}:${i}`,
        offset: (start + i).toString(16).padStart(8, '0'),
        hex: bytes.slice(i, i + COLUMNS).join(' '),
        ascii: ascii.length >= bytes.length ? ascii.slice(i, i + COLUMNS).join('') : bytes.slice(i, i + COLUMNS).map(printable).join(''),
      });
    }
    chunks.push({ seq: event.seq, conn: event.conn, from: d.from, mode: d.mode, action: d.action, bytes: d.bytes, lines, omitted: Math.max(0, d.bytes - bytes.length) });
  }
  return chunks.slice(-limit);
}

function printable(byteHex: string): string {
  const b = Number.parseInt(byteHex, 16);
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

export interface KeyLink {
  label: string;
  title: string;
  /** How this secret is made (RFC 8446 §7.1 / §7.3). */
  how: string;
  /** Seen in the key log for this connection (the engine logged it). */
  seen: boolean;
  /** The value, only when the engine runs in demo mode and put it in the event. */
  secret: string | null;
}

export interface KeyStory {
  /** Each share with what its bytes are: a hybrid share names its ML-KEM-768 and X25519 parts. */
  shares: { who: string; group: string; length: number; preview: string; parts: KeySharePart[] }[];
  /** The ServerHello chose a post-quantum hybrid group. */
  hybrid: boolean;
  chain: KeyLink[];
  updates: KeyLink[];
  demo: boolean;
}

/** The key schedule of one connection, from its hellos (key shares) and key-log labels. */
export function keyStory(events: readonly LockstepEvent[], conn: string | null): KeyStory {
  const logged = new Map<string, string | null>();
  const shares: KeyStory['shares'] = [];
  for (const event of events) {
    if (event.conn !== conn) continue;
    if (event.kind === 'tls.keylog') logged.set(event.detail.label, event.detail.secret ?? logged.get(event.detail.label) ?? null);
    if (event.kind === 'tls.hello') {
      const client = event.detail.handshakeType === 'client_hello';
      const who = client ? 'ClientHello' : 'ServerHello';
      for (const s of event.detail.keyShares) shares.push({ who, ...s, parts: keySharePartsOf(s.group, s.length, client ? 'client' : 'server') });
    }
  }
  const hybrid = shares.some((s) => s.who === 'ServerHello' && isPostQuantum(s.group));
  const link = (label: string, title: string, how: string): KeyLink => ({ label, title, how, seen: logged.has(label), secret: logged.get(label) ?? null });
  const chain: KeyLink[] = [
    hybrid ? HYBRID_LINK(shares.length >= 2) : { label: 'ECDHE', title: 'ECDHE shared secret', how: 'Each side combines its own private key share with the other’s public share. Both get the same value; it never crosses the wire and is never logged.', seen: shares.length >= 2, secret: null },
    { label: 'HANDSHAKE_SECRET', title: 'Handshake secret', how: `HKDF-Extract(salt = Derive-Secret(early secret, "derived"), ${hybrid ? 'hybrid' : 'ECDHE'} shared secret)`, seen: shares.length >= 2, secret: null },
    link('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'Derive-Secret(handshake secret, "c hs traffic", ClientHello…ServerHello): encrypts the client’s handshake messages'),
    link('SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'Derive-Secret(handshake secret, "s hs traffic", ClientHello…ServerHello): encrypts the server’s certificate, signature and Finished'),
    { label: 'MASTER_SECRET', title: 'Master secret', how: 'HKDF-Extract(salt = Derive-Secret(handshake secret, "derived"), 0)', seen: logged.has('CLIENT_TRAFFIC_SECRET_0'), secret: null },
    link('CLIENT_TRAFFIC_SECRET_0', 'CLIENT_TRAFFIC_SECRET_0', 'Derive-Secret(master secret, "c ap traffic", ClientHello…server Finished): the client’s messages'),
    link('SERVER_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'Derive-Secret(master secret, "s ap traffic", ClientHello…server Finished): the server’s messages'),
    { label: 'KEY_IV', title: 'key + iv, per direction', how: 'key = HKDF-Expand-Label(traffic secret, "key", "", key length); iv = HKDF-Expand-Label(traffic secret, "iv", "", 12). Each record’s nonce = iv XOR its sequence number.', seen: logged.has('CLIENT_TRAFFIC_SECRET_0'), secret: null },
  ];
  const updates: KeyLink[] = [...logged.keys()]
    .filter((label) => /^(CLIENT|SERVER)_TRAFFIC_SECRET_([1-9]\d*)$/.test(label))
    .map((label) => link(label, label, 'After a KeyUpdate: HKDF-Expand-Label(previous traffic secret, "traffic upd", "", hash length)'));
  const demo = [...logged.values()].some((v) => v !== null);
  return { shares, hybrid, chain, updates, demo };
}

/** The first link of a hybrid key schedule: two secrets in one (draft-ietf-tls-ecdhe-mlkem). */
const HYBRID_LINK = (seen: boolean): KeyLink => ({
  label: 'HYBRID',
  title: 'Hybrid shared secret: ML-KEM-768 secret ‖ X25519 secret',
  how: 'The listener encapsulated a fresh secret to the dialer’s ML-KEM-768 key (its ciphertext is in the ServerHello); the dialer decapsulates it. Both also run X25519 on the X25519 parts. The two 32-byte secrets, ML-KEM’s first, are joined into one: it stays secret if either ML-KEM-768 or X25519 holds. It never crosses the wire and is never logged.',
  seen,
  secret: null,
});

export interface VerdictCard {
  key: string;
  seq: number;
  source: string;
  title: string;
  outcome: 'defeated' | 'succeeded' | 'observed' | 'refused';
  reason: string;
}

const drillTitles: Record<string, string> = {
  eavesdropper: 'Eavesdropper',
  tamper: 'Tamper',
  impostor: 'Impostor',
  replay: 'Replay',
  downgrade: 'TLS 1.2 downgrade',
  classical: 'Classical-only handshake (X25519)',
};

export function drillTitle(drill: string): string {
  return drillTitles[drill] ?? drill;
}

/** Verdict cards, newest first: drills' verdicts (this side's and Eve's), TLS errors, refused pins. */
export function verdictCards(events: readonly LockstepEvent[], conns: ReadonlySet<string> | null, limit = 4): VerdictCard[] {
  const cards: VerdictCard[] = [];
  for (let i = events.length - 1; i >= 0 && cards.length < limit; i--) {
    const e = events[i]!;
    const eve = e.eve !== undefined;
    const ours = conns === null || (e.conn !== null && conns.has(e.conn));
    const source = eve ? 'Eve' : 'This side';
    if (e.kind === 'drill.verdict' && (ours || eve || e.conn === null)) {
      cards.push({ key: `v${e.seq}`, seq: e.seq, source, title: drillTitle(e.detail.drill), outcome: e.detail.outcome, reason: e.detail.reason });
    } else if (e.kind === 'tls.error' && ours) {
      // The summary is the engine's plain words; OpenSSL's own message is for the details view.
      cards.push({ key: `e${e.seq}`, seq: e.seq, source, title: 'Connection refused', outcome: 'refused', reason: `${e.summary}${e.detail.alert ? ` (alert: ${e.detail.alert})` : ''}` });
    } else if (e.kind === 'trust.check' && e.detail.verdict === 'mismatch' && ours) {
      cards.push({ key: `t${e.seq}`, seq: e.seq, source, title: 'Impostor', outcome: 'refused', reason: `The key presented was not ${e.detail.contactName ?? 'the pinned one'}’s: the connection was refused before anything was sent.` });
    }
  }
  return cards;
}
