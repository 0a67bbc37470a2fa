/**
 * Bytes annotated field by field, the way the Illustrated TLS 1.3 Connection shows them: each
 * run of bytes with its name and what it means. Only bytes the events really carry are shown
 * (the 5-byte record header, the first body bytes, the tag, the nonce); the rest is counted.
 */
import type { HelloSummary, RecordDetail } from '../../shared/events';

export type ByteTone = 'header' | 'clear' | 'cipher' | 'tag' | 'nonce' | 'flipped';

export interface ByteField {
  label: string;
  /** Two hex digits each. */
  bytes: string[];
  meaning: string;
  tone: ByteTone;
  /** Positions (in `bytes`) to mark, e.g. the byte Eve flipped. */
  marked?: number[];
}

export function bytesOf(hex: string): string[] {
  return hex.replace(/[^0-9a-f]/gi, '').toLowerCase().match(/../g) ?? [];
}

const contentTypes: Record<string, string> = { '14': 'change_cipher_spec', '15': 'alert', '16': 'handshake', '17': 'application_data' };
const versions: Record<string, string> = { '0301': 'TLS 1.0', '0302': 'TLS 1.1', '0303': 'TLS 1.2', '0304': 'TLS 1.3' };
const handshakeTypes: Record<string, string> = { '01': 'ClientHello', '02': 'ServerHello' };

/** The 5-byte record header (RFC 8446 §5.1): content type, legacy version, length. */
export function recordHeaderFields(headerHex: string): ByteField[] {
  const b = bytesOf(headerHex);
  if (b.length < 5) return [];
  const type = contentTypes[b[0]!] ?? 'unknown';
  const version = b[1]! + b[2]!;
  const length = Number.parseInt(b[3]! + b[4]!, 16);
  return [
    {
      label: 'Content type',
      bytes: b.slice(0, 1),
      meaning: type === 'application_data' ? '0x17 = application_data: every encrypted record says this; the real type is inside' : `0x${b[0]} = ${type}`,
      tone: 'header',
    },
    { label: 'Legacy version', bytes: b.slice(1, 3), meaning: `${versions[version] ?? version}: frozen for old middleboxes; TLS 1.3 is agreed in an extension`, tone: 'header' },
    { label: 'Length', bytes: b.slice(3, 5), meaning: `${length} bytes of record body follow`, tone: 'header' },
  ];
}

/** The first body bytes of a hello record: handshake type, length, legacy version, random (RFC 8446 §4.1.2). */
export function helloBodyFields(bodyPreview: string, hello: HelloSummary): ByteField[] {
  const b = bytesOf(bodyPreview);
  if (b.length < 6) return [];
  const length = Number.parseInt(b.slice(1, 4).join(''), 16);
  const fields: ByteField[] = [
    { label: 'Handshake type', bytes: b.slice(0, 1), meaning: `0x${b[0]} = ${handshakeTypes[b[0]!] ?? 'handshake message'}`, tone: 'clear' },
    { label: 'Message length', bytes: b.slice(1, 4), meaning: `${length} bytes of ${hello.handshakeType === 'client_hello' ? 'ClientHello' : 'ServerHello'} follow`, tone: 'clear' },
    { label: 'Legacy version', bytes: b.slice(4, 6), meaning: `${versions[b[4]! + b[5]!] ?? 'version'} (the real choice is in supported_versions: ${hello.versions.join(', ') || '?'})`, tone: 'clear' },
  ];
  if (b.length > 6) {
    fields.push({ label: 'Random (first bytes of 32)', bytes: b.slice(6), meaning: 'fresh for every handshake: no two transcripts, and no two sets of keys, are alike', tone: 'clear' });
  }
  return fields;
}

/** An encrypted record's body: ciphertext (only its first bytes are in the event) and the 16-byte tag. */
export function sealedBodyFields(record: RecordDetail): ByteField[] {
  const fields: ByteField[] = [];
  const cipherLength = Math.max(0, record.length - 16);
  fields.push({
    label: `Ciphertext (first ${bytesOf(record.bodyPreview).length} of ${cipherLength} bytes)`,
    bytes: bytesOf(record.bodyPreview),
    meaning: 'the encrypted message, plus one byte of real content type: noise to anyone without the keys',
    tone: 'cipher',
  });
  const d = record.decrypted;
  if (d) {
    fields.push({ label: 'Authentication tag (16 bytes)', bytes: bytesOf(d.tagHex), meaning: 'AES-GCM’s check over the ciphertext and the header: one flipped bit and it no longer matches', tone: 'tag' });
    fields.push({ label: `Nonce (12 bytes) for sequence number ${d.sequence}`, bytes: bytesOf(d.nonceHex), meaning: 'the write IV XOR the sequence number: never sent, each side computes it, so a replayed or reordered record fails', tone: 'nonce' });
  }
  return fields;
}

/** What Eve holds of a record: its header and first body bytes as relayed, the flipped byte marked. */
export function eveFields(hex: string, totalBytes: number, flipped: { byteOffset: number } | null | undefined): ByteField[] {
  const b = bytesOf(hex);
  const fields = recordHeaderFields(b.slice(0, 5).join(''));
  const body = b.slice(5);
  if (body.length > 0) {
    const encrypted = b[0] === '17';
    const mark = flipped && flipped.byteOffset >= 5 && flipped.byteOffset - 5 < body.length ? [flipped.byteOffset - 5] : undefined;
    fields.push({
      label: `Body (first ${body.length} of ${Math.max(0, totalBytes - 5)} bytes)`,
      bytes: body,
      meaning: encrypted ? 'ciphertext: Eve has no key to open it' : 'in the clear: Eve can read it, and it holds nothing secret',
      tone: mark ? 'flipped' : encrypted ? 'cipher' : 'clear',
      ...(mark ? { marked: mark } : {}),
    });
  }
  return fields;
}
