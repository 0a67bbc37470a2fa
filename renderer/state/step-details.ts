import type { CertificateSummary, Endpoint, EventDetails, HelloSummary, RecordDetail } from '../../shared/events';
import { cipherLabel, formatMs, protocolLabel } from './format';
import { humanFingerprint } from './human-fingerprint';
import { keyExchangeDetails, shareWords } from './key-exchange-words';
import { runtimeGapDetails, runtimeGapWords } from './runtime-gaps';
import { withheldWords } from './withheld-words';

/** One row of an expanded step: a label and its value, monospace when it is bytes or a key. */
export interface Detail {
  label: string;
  value: string;
  mono?: boolean;
}

/** Hex as space-separated bytes, so a header like 17030300 2f reads as 17 03 03 00 2f. */
export function hexBytes(hex: string): string {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^[0-9a-f]*$/i.test(clean)) return hex;
  return (clean.match(/.{1,2}/g) ?? []).join(' ');
}

export function endpoint(e: Endpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

export function list(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : '(none)';
}

export function certificateDetails(prefix: string, cert: CertificateSummary | null): Detail[] {
  if (!cert) return [];
  return [
    { label: `${prefix} subject`, value: cert.subject },
    { label: `${prefix} issuer`, value: cert.issuer },
    { label: `${prefix} valid`, value: `${cert.validFrom} – ${cert.validTo}` },
    { label: `${prefix} key`, value: cert.publicKeyAlgorithm },
    { label: `${prefix} signature`, value: cert.signatureAlgorithm },
    { label: `${prefix} SHA-256 fingerprint`, value: cert.fingerprint256, mono: true },
    { label: `${prefix} pin (SPKI SHA-256)`, value: cert.pin, mono: true },
  ];
}

export function helloDetails(hello: HelloSummary, record: RecordDetail | null): Detail[] {
  const rows: Detail[] = [];
  if (hello.handshakeType === 'client_hello') {
    rows.push({ label: 'Offered versions', value: list(hello.versions) });
    rows.push({ label: 'Offered cipher suites', value: list(hello.cipherSuites) });
    rows.push({ label: 'Offered groups', value: list(hello.groups) });
    rows.push({ label: 'Signature algorithms', value: list(hello.signatureAlgorithms) });
    rows.push({ label: 'ALPN offered', value: list(hello.alpn) });
    rows.push({ label: 'Server name', value: hello.serverName ?? '(none)' });
    if (hello.withheld) rows.push({ label: 'Names the peer chose', value: 'shown by their length only: this peer is not trusted' });
  } else {
    rows.push({ label: 'Chosen version', value: list(hello.versions) });
    rows.push({ label: 'Chosen cipher suite', value: list(hello.cipherSuites) });
    if (hello.groups.length > 0) rows.push({ label: 'Chosen group', value: list(hello.groups) });
  }
  const side = hello.handshakeType === 'client_hello' ? 'client' : 'server';
  for (const share of hello.keyShares) {
    rows.push({ label: `Key share ${share.group}`, value: `${shareWords(share, side)}: ${share.preview}…`, mono: true });
  }
  rows.push({ label: 'Random', value: `${hello.randomPreview}…`, mono: true });
  rows.push({ label: 'Legacy version field', value: hello.legacyVersion });
  rows.push({ label: 'Extensions', value: list(hello.extensions) });
  if (record) rows.push(...recordDetails(record));
  return rows;
}

export function recordDetails(record: RecordDetail): Detail[] {
  const rows: Detail[] = [
    { label: 'Record header', value: hexBytes(record.headerHex), mono: true },
    { label: 'Record type on the wire', value: record.contentType },
    { label: 'Record length', value: `${record.length} bytes` },
    { label: record.encrypted ? 'Ciphertext (first bytes)' : 'Body (first bytes)', value: hexBytes(record.bodyPreview), mono: true },
  ];
  const d = record.decrypted;
  if (d) {
    rows.push({ label: 'Keys', value: d.epoch === 'handshake' ? 'handshake traffic keys' : 'application traffic keys' });
    rows.push({ label: 'Sequence number', value: String(d.sequence) });
    rows.push({ label: 'Nonce (IV XOR sequence)', value: hexBytes(d.nonceHex), mono: true });
    rows.push({ label: 'Authentication tag', value: hexBytes(d.tagHex), mono: true });
    rows.push({ label: 'Real content type (inside)', value: d.innerContentType });
    if (d.handshakeMessages.length > 0) rows.push({ label: 'Handshake messages inside', value: list(d.handshakeMessages) });
    if (d.plaintext !== undefined) rows.push({ label: 'Decrypted independently (not by OpenSSL)', value: d.plaintext, mono: true });
    if (record.withheld) rows.push({ label: 'Decrypted independently (not by OpenSSL)', value: withheldWords[record.withheld] });
  }
  if (record.undecryptable) rows.push({ label: 'Could not be opened', value: record.undecryptable });
  return rows;
}

export function secureDetails(secure: EventDetails['tls.secure']): Detail[] {
  const unreported = secure.runtimeGaps?.includes('signature-algorithms') === true;
  return [
    { label: 'Protocol', value: protocolLabel(secure.protocol) },
    { label: 'Cipher suite', value: `${secure.cipherStandardName} (${cipherLabel(secure.cipherStandardName)})` },
    { label: 'Key exchange group', value: secure.group ?? '(not reported)' },
    { label: 'ALPN', value: secure.alpn ?? '(none)' },
    { label: 'This side is the', value: secure.role },
    { label: 'Handshake time', value: formatMs(secure.handshakeMs) },
    { label: 'Signature algorithms', value: unreported ? runtimeGapWords['signature-algorithms'] : list(secure.signatureAlgorithms) },
    ...runtimeGapDetails(secure.runtimeGaps?.filter((gap) => gap !== 'signature-algorithms')),
    ...(secure.keyExchange ? keyExchangeDetails(secure.keyExchange) : []),
    ...certificateDetails('Peer certificate', secure.peerCertificate),
    ...certificateDetails('Own certificate', secure.localCertificate),
  ];
}

export function trustDetails(check: EventDetails['trust.check']): Detail[] {
  return [
    { label: 'Verdict', value: check.verdict },
    { label: 'Expected key', value: check.expected ? `${humanFingerprint(check.expected) ?? ''} (${check.expected})` : '(none: a new key)', mono: true },
    { label: 'Presented key', value: check.presented ? `${humanFingerprint(check.presented) ?? ''} (${check.presented})` : '(not reported)', mono: true },
    { label: 'Contact', value: check.contactName ?? '(unknown)' },
    { label: 'This side is the', value: check.role },
  ];
}
