import type { EventBase, EventDetails, RecordDetail } from '../../shared/events';
import { certificateDetails, recordDetails, type Detail } from './step-details';
import { handshakeExplanations, otherHandshake, recordExplanations, type Explanation } from './step-explanations';
import { withheldExplanation, withheldWords } from './withheld-words';

/** What a record turns into before it is placed in a phase (see sequence-steps). */
export interface StepDraft {
  title: string;
  note: string;
  explanation: Explanation;
  tone: 'plain' | 'clear' | 'good' | 'bad';
  /** Computed on expand only: a 20,000-event diagram would otherwise build 200,000 rows nobody opens. */
  details: () => Detail[];
  /** The phase a record belongs to; null when it belongs to whichever phase is running (alerts, sealed records). */
  phase?: 2 | 3 | null;
  /** The chat message this step carried (a msg frame, or the record holding it). */
  messageId?: string | null;
}

/** What a record's decrypted frames (`{"type":"msg","id":…,"text":…}` lines) carried. */
export interface Carried {
  /** The chat texts, or `(type)` for frames without text; null when the plaintext is not frames. */
  text: string | null;
  /** The id of the chat message the record carried, to link a bubble to its record. */
  messageId: string | null;
}

export function readCarried(plaintext: string): Carried {
  const texts: string[] = [];
  let messageId: string | null = null;
  for (const line of plaintext.split('\n')) {
    if (!line.trim()) continue;
    try {
      const frame = JSON.parse(line) as { type?: unknown; text?: unknown; id?: unknown };
      if (typeof frame.text === 'string') texts.push(frame.text);
      else if (typeof frame.type === 'string') texts.push(`(${frame.type})`);
      if (frame.type === 'msg' && typeof frame.id === 'string') messageId ??= frame.id;
    } catch {
      return { text: null, messageId: null };
    }
  }
  return { text: texts.length > 0 ? texts.join(' · ') : null, messageId };
}

/** The engine names the first part of a handshake message split over records `Certificate (continues)`. */
const continues = / \(continues\)$/;
const partialHandshake: Explanation = { text: 'The first part of a handshake message too big for one record; the rest follows in the next record.', property: null };

function shortHex(hex: string, bytes = 6): string {
  const clean = hex.replace(/[\s:]/g, '');
  return clean.length > bytes * 2 ? `${clean.slice(0, bytes * 2)}…` : clean;
}

/**
 * One encrypted record can carry several handshake messages (a listener usually sends
 * EncryptedExtensions … Finished in one flight): each becomes its own step, as people know them.
 */
export function recordDrafts(
  event: EventBase<'tls.record'>,
  /** Read when a step is expanded: the handshake result arrives after the Certificate records. */
  secure: () => EventDetails['tls.secure'] | null,
): StepDraft[] {
  const record: RecordDetail = event.detail;
  const rows = () => recordDetails(record);
  const d = record.decrypted;

  if (d && d.handshakeMessages.length > 0) {
    return d.handshakeMessages.map((name) => {
      const cert = () => (name === 'Certificate' ? ((event.dir === 'in' ? secure()?.peerCertificate : secure()?.localCertificate) ?? null) : null);
      return {
        title: name,
        note: `encrypted · record ${record.length} bytes · seq ${d.sequence}`,
        explanation: continues.test(name) ? partialHandshake : (handshakeExplanations[name] ?? otherHandshake),
        tone: 'plain',
        details: () => [...certificateDetails(event.dir === 'in' ? "Peer's certificate" : 'Own certificate', cert()), ...rows()],
        phase: d.epoch === 'handshake' ? 2 : null,
      };
    });
  }

  if (d) {
    const inner = d.innerContentType;
    if (inner === 'alert') {
      return [{ title: 'Encrypted alert', note: `${record.length} bytes · seq ${d.sequence}`, explanation: recordExplanations.encryptedAlert, tone: 'plain', details: rows, phase: null }];
    }
    const { text, messageId } = d.plaintext !== undefined ? readCarried(d.plaintext) : { text: null, messageId: null };
    const carried = record.withheld ? ` · ${withheldWords[record.withheld]}` : text ? ` · decrypted independently: ${text} ✓` : '';
    return [{
      messageId,
      title: 'Encrypted record',
      note: `${record.length} bytes · seq ${d.sequence} · tag ${shortHex(d.tagHex)}${carried}`,
      explanation: record.withheld ? { text: withheldExplanation, property: 'authentication' } : recordExplanations.applicationData,
      tone: 'plain',
      details: rows,
      phase: 3,
    }];
  }

  if (record.encrypted) {
    // A failed AEAD check (an altered or replayed record): the tamper drill's signature.
    const tampered = record.unopened === 'tag-mismatch';
    return [{
      title: tampered ? 'Record rejected' : 'Encrypted record',
      note: `${record.length} bytes${record.undecryptable ? ` · not opened: ${record.undecryptable}` : ''}`,
      explanation: tampered ? recordExplanations.tampered : recordExplanations.sealed,
      tone: tampered ? 'bad' : 'plain',
      details: rows,
      phase: null,
    }];
  }

  switch (record.contentType) {
    case 'change_cipher_spec':
      return [{ title: 'ChangeCipherSpec', note: 'compatibility only, carries nothing', explanation: recordExplanations.changeCipherSpec, tone: 'clear', details: rows, phase: 2 }];
    case 'alert':
      return [{ title: 'Alert (in the clear)', note: `${record.length} bytes`, explanation: recordExplanations.clearAlert, tone: 'bad', details: rows, phase: 2 }];
    default:
      return [{ title: `Record: ${record.contentType}`, note: `${record.length} bytes, in the clear`, explanation: recordExplanations.clearHandshake, tone: 'clear', details: rows, phase: 2 }];
  }
}
