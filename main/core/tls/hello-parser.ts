/**
 * The handshake layer in the clear: reassembles handshake messages from record bodies and
 * parses ClientHello, ServerHello and HelloRetryRequest (RFC 8446 §4.1.2–§4.1.4), the only
 * handshake messages TLS 1.3 still sends unencrypted. Malformed input never throws out of this
 * module: it comes back as `{ error }`, because the bytes come from the network.
 */
import type { HelloSummary } from '../../../shared/events';
import {
  cipherSuiteName,
  extensionName,
  groupName,
  handshakeTypeName,
  HandshakeType,
  signatureSchemeName,
  versionName,
} from './tls-names';

export interface HandshakeMessage {
  type: number;
  /** The message body, without the 4-byte handshake header. */
  body: Uint8Array;
}

export interface ReassembleResult {
  messages: HandshakeMessage[];
  /** Type of a message begun in this fragment but not yet complete (it continues later). */
  partial: number | null;
  error?: string;
}

/** Handshake messages can be much longer than a record (RFC 8446 §5.1) but we bound them. */
export const MAX_HANDSHAKE_MESSAGE = 256 * 1024;

/**
 * Joins handshake fragments across records (RFC 8446 §5.1: a message may span records and one
 * record may carry several). Holds at most one incomplete message, capped at MAX_HANDSHAKE_MESSAGE.
 */
export class HandshakeReassembler {
  private pending = new Uint8Array(0);
  private broken: string | null = null;

  get buffered(): number {
    return this.pending.length;
  }

  push(fragment: Uint8Array): ReassembleResult {
    if (this.broken) return { messages: [], partial: null, error: this.broken };
    const data = concat(this.pending, fragment);
    const messages: HandshakeMessage[] = [];
    let pos = 0;
    while (data.length - pos >= 4) {
      const len = (data[pos + 1]! << 16) | (data[pos + 2]! << 8) | data[pos + 3]!;
      if (len > MAX_HANDSHAKE_MESSAGE) return this.fail(messages, `handshake message of ${len} bytes is over the limit`);
      if (data.length - pos - 4 < len) break;
      messages.push({ type: data[pos]!, body: data.slice(pos + 4, pos + 4 + len) });
      pos += 4 + len;
    }
    this.pending = data.slice(pos);
    return { messages, partial: this.pending.length > 0 ? this.pending[0]! : null };
  }

  private fail(messages: HandshakeMessage[], error: string): ReassembleResult {
    this.broken = error;
    this.pending = new Uint8Array(0);
    return { messages, partial: null, error };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

class ParseError extends Error {}

/** Bounds-checked big-endian reader; running past the end is a ParseError, caught at the top. */
class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get left(): number {
    return this.buf.length - this.pos;
  }
  bytes(n: number): Uint8Array {
    if (n > this.left) throw new ParseError(`truncated: wanted ${n} bytes, ${this.left} left`);
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }
  u8(): number {
    return this.bytes(1)[0]!;
  }
  u16(): number {
    const b = this.bytes(2);
    return (b[0]! << 8) | b[1]!;
  }
  /** A length-prefixed vector (RFC 8446 §3.4) with a 1- or 2-byte length, as its own Reader. */
  vec(lenBytes: 1 | 2): Reader {
    return new Reader(this.bytes(lenBytes === 1 ? this.u8() : this.u16()));
  }
  u16List(): number[] {
    const out: number[] = [];
    while (this.left > 0) out.push(this.u16());
    return out;
  }
}

export const toHex = (b: Uint8Array, max = b.length): string => Buffer.from(b.subarray(0, max)).toString('hex');

/** SHA-256("HelloRetryRequest"): a ServerHello with this random is an HRR (RFC 8446 §4.1.3). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export interface ParsedHello {
  summary: HelloSummary;
  /** The 32-byte random; the client's is the key of every keylog line. */
  random: Uint8Array;
  /** Selected suite code for a ServerHello / HRR; null for a ClientHello. */
  cipherSuite: number | null;
}

export type HelloResult = ParsedHello | { error: string };

/** Parse a ClientHello (type 1) or ServerHello/HelloRetryRequest (type 2) body. */
export function parseHello(type: number, body: Uint8Array): HelloResult {
  try {
    if (type === HandshakeType.clientHello) return parseClientHello(new Reader(body));
    if (type === HandshakeType.serverHello) return parseServerHello(new Reader(body));
    return { error: `${handshakeTypeName(type)} is not a hello message` };
  } catch (e) {
    if (e instanceof ParseError) return { error: `malformed ${handshakeTypeName(type)}: ${e.message}` };
    return { error: `malformed ${handshakeTypeName(type)}: ${String(e)}` };
  }
}

function emptySummary(handshakeType: HelloSummary['handshakeType'], legacyVersion: number, random: Uint8Array): HelloSummary {
  return {
    handshakeType,
    legacyVersion: versionName(legacyVersion),
    versions: [],
    cipherSuites: [],
    groups: [],
    keyShares: [],
    signatureAlgorithms: [],
    alpn: [],
    serverName: null,
    randomPreview: toHex(random, 8),
    sessionIdLength: 0,
    extensions: [],
  };
}

function parseClientHello(r: Reader): ParsedHello {
  const legacyVersion = r.u16();
  const random = r.bytes(32).slice();
  const s = emptySummary('client_hello', legacyVersion, random);
  s.sessionIdLength = r.vec(1).left;
  s.cipherSuites = r.vec(2).u16List().map(cipherSuiteName);
  r.vec(1); // legacy_compression_methods
  if (r.left > 0) readExtensions(r.vec(2), s, 'client');
  return { summary: s, random, cipherSuite: null };
}

function parseServerHello(r: Reader): ParsedHello {
  const legacyVersion = r.u16();
  const random = r.bytes(32).slice();
  const hrr = toHex(random) === HRR_RANDOM;
  const s = emptySummary(hrr ? 'hello_retry_request' : 'server_hello', legacyVersion, random);
  s.sessionIdLength = r.vec(1).left;
  const suite = r.u16();
  s.cipherSuites = [cipherSuiteName(suite)];
  r.u8(); // legacy_compression_method
  if (r.left > 0) readExtensions(r.vec(2), s, hrr ? 'hrr' : 'server');
  return { summary: s, random, cipherSuite: suite };
}

type HelloSide = 'client' | 'server' | 'hrr';

function readExtensions(r: Reader, s: HelloSummary, side: HelloSide): void {
  while (r.left > 0) {
    const type = r.u16();
    const data = r.vec(2);
    s.extensions.push(extensionName(type));
    readExtension(type, data, s, side);
  }
}

/** Extension bodies differ between ClientHello and ServerHello (RFC 8446 §4.2). */
function readExtension(type: number, r: Reader, s: HelloSummary, side: HelloSide): void {
  switch (type) {
    case 0: // server_name (RFC 6066 §3): list of (type, host_name)
      if (side === 'client' && r.left > 0) s.serverName = readServerName(r.vec(2));
      return;
    case 10: // supported_groups
      s.groups = r.vec(2).u16List().map(groupName);
      return;
    case 13: // signature_algorithms
      s.signatureAlgorithms = r.vec(2).u16List().map(signatureSchemeName);
      return;
    case 16: // ALPN (RFC 7301): list of 1-byte-length protocol names
      s.alpn = readAlpn(r.vec(2));
      return;
    case 43: // supported_versions: a list from the client, the one selected from the server
      s.versions = side === 'client' ? r.vec(1).u16List().map(versionName) : [versionName(r.u16())];
      return;
    case 51:
      readKeyShare(r, s, side);
      return;
  }
}

function readServerName(r: Reader): string | null {
  while (r.left > 0) {
    const nameType = r.u8();
    const name = r.vec(2);
    if (nameType === 0) return Buffer.from(name.bytes(name.left)).toString('latin1');
  }
  return null;
}

function readAlpn(r: Reader): string[] {
  const out: string[] = [];
  while (r.left > 0) {
    const p = r.vec(1);
    out.push(Buffer.from(p.bytes(p.left)).toString('latin1'));
  }
  return out;
}

/** key_share (RFC 8446 §4.2.8): client list, server single entry, HRR only the selected group. */
function readKeyShare(r: Reader, s: HelloSummary, side: HelloSide): void {
  if (side === 'hrr') {
    s.groups = [groupName(r.u16())];
    return;
  }
  const list = side === 'client' ? r.vec(2) : r;
  while (list.left > 0) {
    const group = list.u16();
    const key = list.vec(2);
    const bytes = key.bytes(key.left);
    s.keyShares.push({ group: groupName(group), length: bytes.length, preview: toHex(bytes, 8) });
    if (side === 'server') s.groups = [groupName(group)];
  }
}
