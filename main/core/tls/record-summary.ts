/**
 * The one-line, read-aloud sentences for the record layer of the panel. Kept apart from the
 * observer so the wording can change without touching the decoding, and so each sentence says
 * what the step means for security, not only what it is.
 */
import type { HelloSummary, Withheld } from '../../../shared/events';
import type { Opened, Sender } from './record-decryptor';
import { alertLevelName, alertName, contentTypeName, ContentType } from './tls-names';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const article = (word: string): string => (/^[aeiouAEIOU]|^X25519|^X448/.test(word) ? 'an' : 'a');

export function helloSentence(h: HelloSummary): string {
  const shares = h.keyShares.map((k) => k.group).join(' + ');
  if (h.handshakeType === 'client_hello') {
    const share = shares ? ` and ${article(shares)} ${shares} key share` : ' and no key share';
    return `ClientHello (in the clear): offers ${plural(h.cipherSuites.length, 'cipher suite')}${share}`;
  }
  if (h.handshakeType === 'hello_retry_request') {
    return `HelloRetryRequest (in the clear): the server wants a key share in ${h.groups[0] ?? 'another group'} and asks the client to start again`;
  }
  const suite = h.cipherSuites[0] ?? 'a cipher suite';
  return `ServerHello (in the clear): picks ${suite} and answers with ${shares ? `${article(shares)} ${shares}` : 'a'} key share; from here on everything is encrypted`;
}

/** Why each encrypted handshake message matters, in priority order for the summary. */
function purpose(names: string[], sender: Sender): string {
  const has = (n: string) => names.some((m) => m === n || m.startsWith(n + ' '));
  if (has('CertificateVerify')) return `proves the ${sender} holds the key it claims`;
  if (has('Certificate')) return `the ${sender}'s certificate, hidden from eavesdroppers`;
  if (has('Finished')) return `a MAC over the whole handshake: the ${sender} confirms nothing was altered`;
  if (has('CertificateRequest')) return 'the server asks the client for a certificate too (mutual authentication)';
  if (has('EncryptedExtensions')) return "the rest of the server's choices, already encrypted";
  if (has('NewSessionTicket')) return 'a ticket the client could use to resume later';
  if (has('KeyUpdate')) return `the ${sender} switches to fresh keys (derived with "traffic upd")`;
  return 'handshake data';
}

function preview(text: string, max = 48): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? oneLine.slice(0, max) + '…' : oneLine;
}

export function alertSentence(level: number, description: number, encrypted: boolean): string {
  const where = encrypted ? 'Encrypted alert (decrypted independently)' : 'Alert in the clear';
  if (description === 0) return `${where}: close_notify, the sender is closing the connection cleanly`;
  return `${where}: ${alertLevelName(level)} ${alertName(description)}`;
}

export function plaintextRecordSentence(contentType: number, body: Uint8Array, handshakeNames: string[]): string {
  if (contentType === ContentType.changeCipherSpec) {
    return 'change_cipher_spec (in the clear): a no-op kept only so old middleboxes let TLS 1.3 through';
  }
  if (contentType === ContentType.alert && body.length >= 2) return alertSentence(body[0]!, body[1]!, false);
  if (contentType === ContentType.handshake) {
    const names = handshakeNames.length ? handshakeNames.join(' + ') : 'a fragment';
    return `Handshake record in the clear carrying ${names}, ${plural(body.length, 'byte')}`;
  }
  return `${contentTypeName(contentType)} record in the clear, ${plural(body.length, 'byte')}`;
}

export function openedSentence(o: Opened, bodyLength: number, tagLength: number, sender: Sender): string {
  const sizes = `${plural(bodyLength - tagLength, 'byte')} of ciphertext + ${tagLength}-byte tag`;
  switch (o.innerContentType) {
    case ContentType.handshake:
      return `Encrypted record carrying ${o.handshakeMessages.join(' + ') || 'handshake data'}: ${purpose(o.handshakeMessages, sender)}`;
    case ContentType.applicationData:
      return `Application data, ${sizes}; decrypted independently: ${preview(Buffer.from(o.content).toString('utf8'))}`;
    case ContentType.alert:
      return o.content.length >= 2 ? alertSentence(o.content[0]!, o.content[1]!, true) : `Encrypted alert, malformed`;
    default:
      return `Encrypted ${contentTypeName(o.innerContentType)} record, ${sizes}`;
  }
}

/** An application record opened by the independent decryptor whose text is not shown yet (or ever). */
export function withheldSentence(bodyLength: number, tagLength: number, why: Withheld): string {
  const sizes = `${plural(bodyLength - tagLength, 'byte')} of ciphertext + ${tagLength}-byte tag`;
  return why === 'peer-refused'
    ? `Application data, ${sizes}; decrypted independently, but this connection was refused: its text is never shown`
    : `Application data, ${sizes}; decrypted independently, text withheld until this peer is trusted`;
}

export function undecryptableSentence(bodyLength: number, reason: string): string {
  return `Encrypted record, ${plural(bodyLength, 'byte')} on the wire; not decrypted: ${reason}`;
}

const KEYLOG_MEANING: Record<string, string> = {
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: "the key for the client's encrypted handshake messages",
  SERVER_HANDSHAKE_TRAFFIC_SECRET: "the key for the server's encrypted handshake messages",
  CLIENT_TRAFFIC_SECRET_0: 'the key for everything the client sends after its Finished',
  SERVER_TRAFFIC_SECRET_0: 'the key for everything the server sends after its Finished',
  EXPORTER_SECRET: 'a secret for deriving keys outside TLS (not used for records)',
  // OpenSSL 3.0 logs the literal label `…_TRAFFIC_SECRET_N` after a KeyUpdate (measured).
  CLIENT_TRAFFIC_SECRET_N: "the client's next keys after a KeyUpdate (the decryptor derives them itself)",
  SERVER_TRAFFIC_SECRET_N: "the server's next keys after a KeyUpdate (the decryptor derives them itself)",
};

export function keylogSentence(label: string, revealed: boolean, foreign: boolean): string {
  if (foreign) return `Keylog ${label} belongs to another connection (its client random differs): ignored`;
  const meaning = KEYLOG_MEANING[label] ?? 'a secret this panel does not use';
  return `TLS derived ${label}, ${meaning}${revealed ? ' (demo mode: the secret itself is shown)' : ''}`;
}
