/**
 * Key changes: a known contact presenting a key other than its pinned one. The connection is
 * refused before any data (the channel already did that); this keeps the evidence for the card —
 * old and new pin, when the old one was seen — and accepts the new key only through a safe path:
 * the user types digits of the safety number that the contact reads from their own screen
 * (re-verification), or a pairing by code succeeds. There is no one-click accept.
 */
import { randomUUID } from 'node:crypto';

import type { EventInput } from '../../../shared/events';
import type { KeyChangeView } from '../../../shared/views';
import { LockstepError } from '../errors';
import type { Contact, ContactStore } from '../store/contacts';
import { humanFingerprint, safetyNumber } from './pins';

/** Groups of five digits the user must type back: 10 digits, about 33 bits. */
export const REVERIFY_GROUPS = 2;

export interface KeyChangeRecord extends KeyChangeView {
  /** The held listener-side connection waiting on this decision, if any. */
  requestId: string | null;
}

export class KeyChanges {
  private readonly pending = new Map<string, KeyChangeRecord>();

  constructor(
    private readonly contacts: ContactStore,
    private readonly ownPin: () => string,
    private readonly emit: (event: EventInput) => void,
  ) {}

  list(): KeyChangeView[] {
    return [...this.pending.values()].map(({ requestId: _r, ...view }) => view);
  }

  get(id: string): KeyChangeRecord | null {
    return this.pending.get(id) ?? null;
  }

  /** Record (or refresh) a detected change; one pending record per contact and new key. */
  detect(input: { contact: Contact; newPin: string; side: 'dialer' | 'listener'; remoteAddress: string | null; conn: string | null; requestId?: string | null }): KeyChangeRecord {
    const existing = [...this.pending.values()].find((k) => k.contactId === input.contact.id && k.newPin === input.newPin);
    if (existing) {
      existing.requestId = input.requestId ?? existing.requestId;
      return existing;
    }
    const record: KeyChangeRecord = {
      id: randomUUID(),
      contactId: input.contact.id,
      contactName: input.contact.name || 'this contact',
      side: input.side,
      oldPin: input.contact.pin,
      oldFingerprint: humanFingerprint(input.contact.pin),
      newPin: input.newPin,
      newFingerprint: humanFingerprint(input.newPin),
      oldFirstSeen: input.contact.firstSeen,
      oldLastSeen: input.contact.lastSeen,
      detectedAt: new Date().toISOString(),
      remoteAddress: input.remoteAddress,
      requestId: input.requestId ?? null,
    };
    this.pending.set(record.id, record);
    this.emitChange(record, 'detected', input.conn,
      `NOT ${record.contactName.toUpperCase()}'S PINNED KEY: either ${record.contactName}'s key changed (a reinstall) or someone else answered. Refused before any data. Only comparing safety numbers with ${record.contactName}, or pairing again with a code, can tell which.`);
    return record;
  }

  /**
   * Accept the new key if `digits` equal the first groups of the safety number of our pin and the
   * new one, as the contact reads it from their screen. Anything else changes nothing.
   */
  reverify(id: string, digits: string): KeyChangeRecord {
    const record = this.requireChange(id);
    const expected = safetyNumber(this.ownPin(), record.newPin).replace(/\s/g, '').slice(0, REVERIFY_GROUPS * 5);
    const typed = digits.replace(/\D/g, '');
    if (typed.length !== expected.length) {
      throw new LockstepError('BAD_ARGUMENT', `Type the first ${REVERIFY_GROUPS * 5} digits of the safety number, as ${record.contactName} reads them from their screen.`);
    }
    if (typed !== expected) {
      throw new LockstepError('SAFETY_NUMBER_MISMATCH', `Those digits do not match: the new key may not be ${record.contactName}'s. Nothing was changed.`);
    }
    this.accept(record, 'reverified');
    return record;
  }

  /** Forget a pending change without accepting it (the drill's impostor key, once the drill ends). */
  dismiss(contactId: string, newPin: string): void {
    for (const [id, k] of this.pending) if (k.contactId === contactId && k.newPin === newPin) this.pending.delete(id);
  }

  /** A pairing by code pinned this key: resolve any pending change to it. */
  resolveByPairing(newPin: string): KeyChangeRecord | null {
    const record = [...this.pending.values()].find((k) => k.newPin === newPin) ?? null;
    if (record) this.accept(record, 'paired');
    return record;
  }

  private accept(record: KeyChangeRecord, how: 'reverified' | 'paired'): void {
    this.contacts.replacePin(record.contactId, record.newPin, true);
    this.pending.delete(record.id);
    this.emitChange(record, how, null, how === 'reverified'
      ? `Safety number re-verified with ${record.contactName}: the new key is now pinned (the old one is kept in the contact's history).`
      : `Paired again with ${record.contactName} by code: the new key is now pinned (the old one is kept in the contact's history).`);
  }

  private requireChange(id: string): KeyChangeRecord {
    const record = this.pending.get(id);
    if (!record) throw new LockstepError('NOT_FOUND', 'That key change is no longer pending.');
    return record;
  }

  private emitChange(record: KeyChangeRecord, resolution: 'detected' | 'reverified' | 'paired', conn: string | null, summary: string): void {
    this.emit({
      conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.key-change',
      summary,
      detail: { changeId: record.id, contactId: record.contactId, oldPin: record.oldPin, newPin: record.newPin, resolution },
    });
  }
}
