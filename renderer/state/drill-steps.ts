import { comparisonDetails } from './handshake-comparison';
import type { EventBase } from '../../shared/events';
import type { StepDraft } from './record-steps';
import { withheldWords } from './withheld-words';

/**
 * Steps for the drills and the independent witness: they prove the properties rather than
 * negotiate them, so they sit in whichever phase is running.
 */

export function witnessDraft(event: EventBase<'tls.witness'>): StepDraft {
  const { equal, bytes, preview, recordIndex, withheld } = event.detail;
  const shown = withheld ? withheldWords[withheld] : preview;
  return {
    title: equal ? 'Independent check ✓' : 'Independent check ✗',
    note: equal ? `${bytes} bytes · decrypted independently, not by OpenSSL: ${shown} ✓` : `${bytes} bytes · the bytes on the wire are NOT what the app wrote`,
    explanation: {
      text: equal
        ? 'Lockstep opened the record itself, with its own AES-GCM code and the keys from the handshake, and compared it with what the app wrote: the ciphertext on the wire really is this message.'
        : 'The independently decrypted record differs from what the app wrote or read. Something between the app and the wire changed the data.',
      property: 'encryption',
    },
    tone: equal ? 'good' : 'bad',
    details: () => [
      { label: 'Record number', value: String(recordIndex) },
      { label: 'Bytes compared', value: String(bytes) },
      { label: 'Starts with', value: shown, mono: !withheld },
    ],
    phase: null,
  };
}

export function tamperDraft(event: EventBase<'drill.tamper'>): StepDraft {
  const { phase, recordIndex, byteOffset, bit } = event.detail;
  if (phase === 'armed') {
    return {
      title: 'Tamper drill armed',
      note: 'one bit of the next message will be flipped on the wire',
      explanation: { text: 'The flip happens after encryption, the way an attacker on the network would do it.', property: 'integrity' },
      tone: 'plain',
      details: () => [],
      phase: null,
    };
  }
  return {
    title: 'Bit flipped in flight',
    note: `bit ${bit ?? '?'} of byte ${byteOffset ?? '?'} in record ${recordIndex ?? '?'}`,
    explanation: {
      text: "One bit of the encrypted record changed after encryption. The receiver's tag check will reject the record: nothing corrupt can be shown — integrity.",
      property: 'integrity',
    },
    tone: 'bad',
    details: () => [
      { label: 'Record number', value: String(recordIndex ?? '?') },
      { label: 'Byte offset', value: String(byteOffset ?? '?') },
      { label: 'Bit', value: String(bit ?? '?') },
    ],
    phase: null,
  };
}

export function verdictDraft(event: EventBase<'drill.verdict'>): StepDraft {
  const { drill, outcome, reason, comparison } = event.detail;
  const words = { defeated: 'defeated ✓', succeeded: 'succeeded ✗', observed: 'observed' };
  return {
    title: drill === 'classical' ? 'Classical-only handshake, compared' : `${drill[0]!.toUpperCase()}${drill.slice(1)} drill ${words[outcome]}`,
    note: reason,
    explanation: { text: reason, property: null },
    tone: outcome === 'defeated' ? 'good' : outcome === 'succeeded' ? 'bad' : 'plain',
    details: () => (comparison ? comparisonDetails(comparison.hybrid, comparison.classical) : []),
    phase: null,
  };
}

export function eveDraft(event: EventBase<'drill.eve'>): StepDraft {
  const { mode, action, from, bytes, hex, ascii } = event.detail;
  return {
    title: `Eve ${action} ${bytes} bytes`,
    note: `from the ${from} · ${ascii}`,
    explanation: {
      text: 'What the relay in the middle sees: bytes. Without the keys, the records are noise; only the hellos were ever in the clear.',
      property: 'encryption',
    },
    tone: action === 'relayed' ? 'plain' : 'bad',
    details: () => [
      { label: 'Mode', value: mode },
      { label: 'Bytes (hex)', value: hex, mono: true },
      { label: 'As text', value: ascii, mono: true },
    ],
    phase: null,
  };
}

/** The peer became trusted: the text of its records held back until then, shown once. */
export function releasedDraft(event: EventBase<'tls.released'>): StepDraft {
  const { records, dropped } = event.detail;
  return {
    title: 'Plaintext released',
    note: `the peer is trusted now: ${records.length} record${records.length === 1 ? '' : 's'} withheld until the decision${dropped ? ` (${dropped} not kept)` : ''}`,
    explanation: {
      text: 'Until the peer was trusted, the panel showed its records without their text, so a stranger could not put words on this screen. Now that this key is trusted, the text those records carried is shown here, once.',
      property: 'authentication',
    },
    tone: 'good',
    details: () => records.map((r) => ({ label: `Record #${r.index} (${r.dir === 'in' ? 'received' : 'sent'})`, value: r.plaintext, mono: true })),
    phase: null,
  };
}
