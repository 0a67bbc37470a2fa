/**
 * Key changes: a known contact presenting a key other than its pinned one. The connection is
 * refused before any data (the channel already did that); this keeps the evidence for the card —
 * old and new pin, when the old one was seen — and accepts the new key only through a path aimed
 * at this change: the user compares the whole safety number with the contact (re-verification),
 * or pairs again by code from this change's card. Nothing else resolves a change — in
 * particular not a pairing that merely happens to pin the same key. There is no one-click accept.
 *
 * What a stranger can make this keep is bounded: at most `maxPending` changes (past that the
 * newcomer is not recorded, only counted); one raised by a knock ends with that request, one seen
 * while dialling expires after `lifetimeMs`.
 */
import { randomInt, randomUUID } from 'node:crypto';

import type { EventInput } from '../../../shared/events';
import type { KeyChangeView } from '../../../shared/views';
import { LockstepError } from '../errors';
import type { ViewChanged } from '../events/view-changes';
import type { Contact, ContactStore } from '../store/contacts';
import { humanFingerprint, safetyNumber } from './pins';
import type { RefusalCode } from './refusal-tally';

/** The safety number has 12 groups of five digits (60 in all); the user types this many back. */
export const SAFETY_GROUPS = 12;
export const REVERIFY_TYPED_GROUPS = 3;

export interface KeyChangeRecord extends KeyChangeView {
  /** The held listener-side connection waiting on this decision, if any. */
  requestId: string | null;
}

/** What the user answers on the card: all twelve groups compared, and the asked ones typed back. */
export interface ReverifyAnswer {
  allGroupsMatch: boolean;
  /** The groups at `checkGroups`, in that order, as the contact read them out. */
  groups: string[];
}

/** A pairing started from a key-change card: it re-pins that change's contact, whatever else happens. */
export interface PairingAim {
  changeId: string;
  contactId: string;
  contactName: string;
}

export interface KeyChangesOptions {
  contacts: ContactStore;
  ownPin: () => string;
  emit: (event: EventInput) => void;
  /** The pending changes (the blocking cards) changed. */
  changed: ViewChanged;
  maxPending: number;
  /** How long a change seen while dialling stays pending. */
  lifetimeMs: number;
  onCapped: (code: RefusalCode) => void;
}

type Resolution = 'detected' | 'reverified' | 'paired' | 'expired';

export class KeyChanges {
  private readonly pending = new Map<string, { record: KeyChangeRecord; timer: NodeJS.Timeout | null }>();

  constructor(private readonly o: KeyChangesOptions) {}

  list(): KeyChangeView[] {
    return [...this.pending.values()].map(({ record: { requestId: _r, ...view } }) => view);
  }

  get(id: string): KeyChangeRecord | null {
    return this.pending.get(id)?.record ?? null;
  }

  /** Record (or refresh) a detected change; one pending record per contact and new key. Null past the cap. */
  detect(input: { contact: Contact; newPin: string; side: 'dialer' | 'listener'; remoteAddress: string | null; conn: string | null; requestId?: string | null }): KeyChangeRecord | null {
    const existing = [...this.pending.values()].find(({ record: k }) => k.contactId === input.contact.id && k.newPin === input.newPin)?.record;
    if (existing) {
      existing.requestId = input.requestId ?? existing.requestId;
      return existing;
    }
    if (this.pending.size >= this.o.maxPending) {
      this.o.onCapped('TOO_MANY_KEY_CHANGES');
      return null;
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
      safetyNumber: safetyNumber(this.o.ownPin(), input.newPin),
      checkGroups: drawGroups(),
      requestId: input.requestId ?? null,
    };
    // One raised by a knock lives as long as that request; one seen while dialling, a while.
    const timer = record.requestId ? null : setTimeout(() => this.remove(record.id, 'expired'), this.o.lifetimeMs);
    timer?.unref();
    this.pending.set(record.id, { record, timer });
    this.o.changed('key-change');
    this.emitChange(record, 'detected', input.conn,
      `NOT ${record.contactName.toUpperCase()}'S PINNED KEY: either ${record.contactName}'s key changed (a reinstall) or someone else answered. Refused before any data. Only comparing safety numbers with ${record.contactName}, or pairing again with a code, can tell which.`);
    return record;
  }

  /**
   * Accept the new key if the user confirmed that all twelve groups of the safety number match
   * what the contact reads from their screen, and typed the groups asked for (drawn at random when
   * the new key was presented) correctly. Anything else changes nothing.
   */
  reverify(id: string, answer: ReverifyAnswer): KeyChangeRecord {
    const record = this.requireChange(id);
    const asked = record.checkGroups.map((g) => `group ${g + 1}`).join(', ');
    if (!answer || typeof answer !== 'object' || !Array.isArray(answer.groups)) {
      throw new LockstepError('BAD_ARGUMENT', `Compare all ${SAFETY_GROUPS} groups of the safety number, then type ${asked}.`);
    }
    if (answer.allGroupsMatch !== true) {
      throw new LockstepError('BAD_ARGUMENT', `First compare all ${SAFETY_GROUPS} groups with what ${record.contactName} reads out, and confirm that every one matches.`);
    }
    const typed = answer.groups.map((g) => String(g).replace(/\D/g, ''));
    if (typed.length !== record.checkGroups.length || typed.some((g) => g.length !== 5)) {
      throw new LockstepError('BAD_ARGUMENT', `Type ${asked} of the safety number (five digits each), as ${record.contactName} reads them from their screen.`);
    }
    const groups = record.safetyNumber.split(' ');
    if (!record.checkGroups.every((g, i) => typed[i] === groups[g])) {
      throw new LockstepError('SAFETY_NUMBER_MISMATCH', `Those digits do not match: the new key may not be ${record.contactName}'s. Nothing was changed.`);
    }
    this.repin(record.contactId, record.newPin);
    this.remove(record.id, 'reverified', `Safety number re-verified with ${record.contactName}: the new key is now pinned (the old one is kept in the contact's history).`);
    return record;
  }

  /** Pairing again from this change's card: what the pairing needs to re-pin that contact later. */
  aim(changeId: string): PairingAim {
    const record = this.requireChange(changeId);
    return { changeId, contactId: record.contactId, contactName: record.contactName };
  }

  /**
   * A pairing started from a key-change card succeeded with `newPin`: re-pin that change's contact
   * to it (the code proved who holds it), and close every change pending for that contact.
   */
  resolveByPairing(aim: PairingAim, newPin: string): void {
    this.repin(aim.contactId, newPin);
    const own = [...this.pending.values()].filter(({ record }) => record.contactId === aim.contactId);
    for (const { record } of own) {
      this.remove(record.id, record.id === aim.changeId ? 'paired' : 'expired',
        `Paired again with ${aim.contactName} by code: the key that paired is now pinned (the old one is kept in the contact's history).`);
    }
  }

  /** A held request ended (decided, expired, closed): a change it raised ends with it. */
  endRequest(requestId: string): void {
    for (const { record } of [...this.pending.values()]) if (record.requestId === requestId) this.remove(record.id, 'expired');
  }

  /** Forget a pending change without accepting it (the drill's impostor key, once the drill ends). */
  dismiss(contactId: string, newPin: string): void {
    for (const { record } of [...this.pending.values()]) if (record.contactId === contactId && record.newPin === newPin) this.remove(record.id, null);
  }

  /** The contact was removed: its pending changes end, and nothing is left to accept. */
  forgetContact(contactId: string): void {
    for (const { record } of [...this.pending.values()]) {
      if (record.contactId === contactId) this.remove(record.id, 'expired', `The possible key change for ${record.contactName} ended: the contact was removed.`);
    }
  }

  stop(): void {
    for (const { timer } of this.pending.values()) if (timer) clearTimeout(timer);
    this.pending.clear();
  }

  /** Pin the contact to `newPin` (verified), unless that key is already another contact's. */
  private repin(contactId: string, newPin: string): void {
    const holder = this.o.contacts.byPin(newPin);
    if (holder && holder.id !== contactId) {
      throw new LockstepError('KEY_IN_USE', `That key is already pinned for ${holder.name || 'another contact'}; it cannot become a second contact's key. Nothing was changed.`);
    }
    this.o.contacts.replacePin(contactId, newPin, true);
    this.o.contacts.setVerified(contactId, true);
  }

  private remove(id: string, resolution: Exclude<Resolution, 'detected'> | null, summary?: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(id);
    this.o.changed('key-change');
    if (!resolution) return;
    const r = entry.record;
    this.emitChange(r, resolution, null, summary ?? `The possible key change for ${r.contactName} ended without being accepted (its connection ended or its time ran out); the pinned key stays.`);
  }

  private requireChange(id: string): KeyChangeRecord {
    const record = this.pending.get(id)?.record;
    if (!record) throw new LockstepError('NOT_FOUND', 'That key change is no longer pending.');
    return record;
  }

  private emitChange(record: KeyChangeRecord, resolution: Resolution, conn: string | null, summary: string): void {
    this.o.emit({
      conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.key-change',
      summary,
      detail: { changeId: record.id, contactId: record.contactId, oldPin: record.oldPin, newPin: record.newPin, resolution },
    });
  }
}

/** Which groups the user must type back: drawn at random, after the key is presented, never shown to the peer. */
function drawGroups(): number[] {
  const all = Array.from({ length: SAFETY_GROUPS }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, REVERIFY_TYPED_GROUPS).sort((a, b) => a - b);
}
