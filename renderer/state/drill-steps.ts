import type { EventBase } from '../../shared/events';
import type { StepDraft } from './record-steps';

/**
 * Steps for the drills and the independent witness: they prove the properties rather than
 * negotiate them, so they sit in whichever phase is running.
 */

export function witnessDraft(event: EventBase<'tls.witness'>): StepDraft {
  const { equal, bytes, preview, recordIndex } = event.detail;
  return {
    title: equal ? 'Independent check ✓' : 'Independent check ✗',
    note: equal ? `${bytes} bytes · decrypted independently, not by OpenSSL: ${preview} ✓` : `${bytes} bytes · the bytes on the wire are NOT what the app wrote`,
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
      { label: 'Starts with', value: preview, mono: true },
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
  const { drill, outcome, reason } = event.detail;
  const words = { defeated: 'defeated ✓', succeeded: 'succeeded ✗', observed: 'observed' };
  return {
    title: `${drill[0]!.toUpperCase()}${drill.slice(1)} drill ${words[outcome]}`,
    note: reason,
    explanation: { text: reason, property: null },
    tone: outcome === 'defeated' ? 'good' : outcome === 'succeeded' ? 'bad' : 'plain',
    details: () => [],
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
