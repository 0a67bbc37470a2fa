/**
 * Contacts and the pin each one is trusted by. A pin identifies a contact; a name is only a label,
 * and is sealed at rest like message bodies. Every pin a contact ever had stays in pin_history.
 * The trust columns (pin, address, verified) are authenticated (trust-mac.ts): a row whose check
 * fails is *damaged* — shown, never trusted — and is not written to until trusted again.
 */
import { randomUUID } from 'node:crypto';

import { LockstepError } from '../errors';
import { namesakeKeys } from '../trust/names';
import type { Db } from './database';
import type { RowSealer } from './row-sealer';
import type { TrustColumns, TrustMac } from './trust-mac';

export interface Contact {
  id: string;
  name: string;
  pin: string;
  address: string | null;
  verified: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  createdAt: string;
  /** Set when the sealed name could not be opened. */
  problem: string | null;
  /**
   * Set (a sentence) when the pin, address or verified flag fail their check: the row was edited
   * outside Lockstep. Such a contact is never let in nor dialled (CONTACT_DAMAGED), and `verified`
   * is false whatever the column says.
   */
  damaged: string | null;
}

export const DAMAGED_CONTACT =
  "This contact's stored key, address, verified mark or conversation fails its integrity check: it was changed outside Lockstep, or the database is damaged. Lockstep does not trust it: it will neither connect to it nor let it in.";

export interface PinHistoryEntry {
  pin: string;
  firstSeen: string | null;
  lastSeen: string | null;
  retiredAt: string | null;
}

interface PinHistoryRow {
  pin: string;
  first_seen: string | null;
  last_seen: string | null;
  retired_at: string | null;
}

interface Row {
  id: string;
  name_sealed: Buffer | null;
  pin: string;
  address: string | null;
  verified: number;
  first_seen: string | null;
  last_seen: string | null;
  created_at: string;
  trust_mac: Buffer | null;
}

const columnsOf = (r: Pick<Row, 'id' | 'pin' | 'address' | 'verified'>): TrustColumns => ({ id: r.id, pin: r.pin, address: r.address, verified: r.verified === 1 });

export class ContactStore {
  private readonly stmts;
  private readonly known = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly sealer: RowSealer,
    private readonly mac: TrustMac,
  ) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM contacts ORDER BY created_at'),
      byId: db.prepare<[string], Row>('SELECT * FROM contacts WHERE id = ?'),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM contacts WHERE id = ?'),
      byPin: db.prepare<[string], Row>('SELECT * FROM contacts WHERE pin = ?'),
      conversation: db.prepare<[string], { id: string; mac: Buffer | null }>('SELECT id, mac FROM conversations WHERE contact_id = ?'),
      insert: db.prepare(
        `INSERT INTO contacts (id, name, name_sealed, pin, address, verified, created_at, trust_mac)
         VALUES (@id, '', @nameSealed, @pin, @address, @verified, @createdAt, @trustMac)`,
      ),
      history: db.prepare('INSERT OR IGNORE INTO pin_history (contact_id, pin) VALUES (?, ?)'),
      seen: db.prepare('UPDATE contacts SET last_seen = @at, first_seen = COALESCE(first_seen, @at) WHERE id = @id'),
      seenPin: db.prepare(
        'UPDATE pin_history SET last_seen = @at, first_seen = COALESCE(first_seen, @at) WHERE contact_id = @id AND pin = @pin',
      ),
      rename: db.prepare('UPDATE contacts SET name_sealed = @nameSealed WHERE id = @id'),
      setTrust: db.prepare('UPDATE contacts SET pin = @pin, address = @address, verified = @verified, trust_mac = @trustMac WHERE id = @id'),
      remove: db.prepare('DELETE FROM contacts WHERE id = ?'),
      retirePin: db.prepare('UPDATE pin_history SET retired_at = @at WHERE contact_id = @id AND pin = @pin'),
      pinHistory: db.prepare<[string], PinHistoryRow>(
        'SELECT pin, first_seen, last_seen, retired_at FROM pin_history WHERE contact_id = ? ORDER BY COALESCE(first_seen, retired_at, \'\')',
      ),
    };
  }

  private fromRow(r: Row): Contact {
    let name = '';
    let problem: string | null = null;
    if (r.name_sealed) {
      try {
        name = this.sealer.open(r.name_sealed, { table: 'contacts', rowId: r.id, conversationId: '' });
      } catch (err) {
        problem = (err as Error).message;
      }
    }
    const damaged = this.mac.verify(columnsOf(r), r.trust_mac) && this.conversationIntact(r.id) ? null : DAMAGED_CONTACT;
    return {
      id: r.id,
      name,
      pin: r.pin,
      address: r.address,
      verified: r.verified === 1 && !damaged,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      createdAt: r.created_at,
      problem,
      damaged,
    };
  }

  /** No conversation yet, or one whose MAC binds it to this contact (not moved here from another). */
  private conversationIntact(contactId: string): boolean {
    const conversation = this.stmts.conversation.get(contactId);
    return !conversation || this.mac.verifyConversation(conversation.id, contactId, conversation.mac);
  }

  /**
   * Change trust columns, in one transaction with a fresh MAC. A row whose current columns fail
   * their check is never rewritten: a new MAC over an attacker's pin would make it trusted.
   */
  private writeTrust(id: string, change: (current: TrustColumns) => TrustColumns): void {
    this.db.transaction(() => {
      const row = this.stmts.byId.get(id);
      if (!row) return;
      const current = columnsOf(row);
      if (!this.mac.verify(current, row.trust_mac) || !this.conversationIntact(id)) throw new LockstepError('CONTACT_DAMAGED', DAMAGED_CONTACT, { details: { contactId: id } });
      const next = { ...change(current), id };
      this.stmts.setTrust.run({ id, pin: next.pin, address: next.address, verified: next.verified ? 1 : 0, trustMac: this.mac.compute(next) });
    })();
  }

  private seal(id: string, name: string): Buffer {
    return this.sealer.seal(name, { table: 'contacts', rowId: id, conversationId: '' });
  }

  list(): Contact[] {
    return this.stmts.all.all().map((r) => this.fromRow(r));
  }

  /**
   * Whether a contact with this id exists, without opening its name or checking its MAC (the
   * per-message path). A known id stays known until remove() forgets it.
   */
  exists(id: string): boolean {
    if (this.known.has(id)) return true;
    const found = this.stmts.exists.get(id) !== undefined;
    if (found) this.known.add(id);
    return found;
  }

  byId(id: string): Contact | null {
    const row = this.stmts.byId.get(id);
    return row ? this.fromRow(row) : null;
  }

  byPin(pin: string): Contact | null {
    const row = this.stmts.byPin.get(pin);
    return row ? this.fromRow(row) : null;
  }

  /**
   * The first contact a person could take this name for: compared by confusable skeleton, case
   * ignored (trust/names.ts), never by the letters alone. Names are sealed, so this opens each
   * one; contact lists are small.
   */
  byName(name: string): Contact | null {
    const wanted = namesakeKeys(name);
    if (wanted.size === 0) return null;
    return this.list().find((c) => [...namesakeKeys(c.name)].some((key) => wanted.has(key))) ?? null;
  }

  /**
   * Add a contact, or return the one already holding this pin (updating its address if given).
   * A damaged one is refused (CONTACT_DAMAGED): it may be another contact re-pinned by an edit.
   */
  add(input: { name: string; pin: string; address: string | null; verified?: boolean }): { contact: Contact; created: boolean } {
    const existing = this.byPin(input.pin);
    if (existing?.damaged) throw new LockstepError('CONTACT_DAMAGED', existing.damaged, { details: { contactId: existing.id } });
    if (existing) {
      if (input.address && input.address !== existing.address) this.setAddress(existing.id, input.address);
      return { contact: this.byId(existing.id)!, created: false };
    }
    const id = randomUUID();
    const trust = { id, pin: input.pin, address: input.address, verified: input.verified ?? false };
    this.stmts.insert.run({
      id,
      nameSealed: this.seal(id, input.name),
      pin: input.pin,
      address: input.address,
      verified: trust.verified ? 1 : 0,
      createdAt: new Date().toISOString(),
      trustMac: this.mac.compute(trust),
    });
    this.stmts.history.run(id, input.pin);
    return { contact: this.byId(id)!, created: true };
  }

  /**
   * Delete a contact with everything that hangs on it (pin history, conversation, messages,
   * outbox: the schema's cascades), in one transaction. A damaged row may be removed too: that
   * is how a person gets rid of an edit they did not make. Returns whether there was one.
   */
  remove(id: string): boolean {
    this.known.delete(id);
    return this.db.transaction(() => this.stmts.remove.run(id).changes > 0)();
  }

  markSeen(id: string, at = new Date().toISOString()): void {
    this.stmts.seen.run({ id, at });
    const contact = this.stmts.byId.get(id);
    if (contact) this.stmts.seenPin.run({ id, pin: contact.pin, at });
  }

  rename(id: string, name: string): void {
    this.stmts.rename.run({ id, nameSealed: this.seal(id, name) });
  }

  setAddress(id: string, address: string): void {
    this.writeTrust(id, (c) => ({ ...c, address }));
  }

  setVerified(id: string, verified: boolean): void {
    this.writeTrust(id, (c) => ({ ...c, verified }));
  }

  /**
   * A re-verified key change: the contact is trusted by the new pin from now on; the old one stays
   * in pin_history with the time it was retired.
   */
  replacePin(id: string, newPin: string, verified: boolean): void {
    const current = this.byId(id);
    if (!current || current.pin === newPin) return;
    this.db.transaction(() => {
      this.writeTrust(id, (c) => ({ ...c, pin: newPin, verified }));
      this.stmts.retirePin.run({ id, pin: current.pin, at: new Date().toISOString() });
      this.stmts.history.run(id, newPin);
    })();
  }

  pinHistory(id: string): PinHistoryEntry[] {
    return this.stmts.pinHistory.all(id).map((r) => ({ pin: r.pin, firstSeen: r.first_seen, lastSeen: r.last_seen, retiredAt: r.retired_at }));
  }
}

/** Seal names an older schema stored in plaintext, and blank the plaintext column. */
export function sealLegacyNames(db: Db, sealer: RowSealer): number {
  const rows = db.prepare<[], { id: string; name: string }>("SELECT id, name FROM contacts WHERE name_sealed IS NULL").all();
  const update = db.prepare("UPDATE contacts SET name_sealed = ?, name = '' WHERE id = ?");
  db.transaction(() => {
    for (const r of rows) update.run(sealer.seal(r.name, { table: 'contacts', rowId: r.id, conversationId: '' }), r.id);
  })();
  if (rows.length > 0) db.pragma('wal_checkpoint(TRUNCATE)');
  return rows.length;
}

/**
 * Once, after migration 4: compute the trust MACs of the contacts an older schema wrote without
 * one. Only while the marker says "pending" — afterwards a row without a valid MAC is damaged —
 * and only if the database key does not already record that MACs are in force (`allowed`): a
 * marker found "pending" then means the database was made to look older, and nothing is
 * authenticated (the rows without a valid MAC stay damaged).
 */
export function authenticateLegacyTrust(db: Db, mac: TrustMac, { allowed }: { allowed: boolean }): number {
  const marker = db.prepare<[], { value: string }>("SELECT value FROM store_meta WHERE key = 'trust_mac_backfill'").get();
  if (marker?.value !== 'pending') return 0;
  if (!allowed) {
    db.prepare("UPDATE store_meta SET value = 'done' WHERE key = 'trust_mac_backfill'").run();
    return 0;
  }
  const rows = db.prepare<[], Pick<Row, 'id' | 'pin' | 'address' | 'verified'>>('SELECT id, pin, address, verified FROM contacts').all();
  const update = db.prepare('UPDATE contacts SET trust_mac = ? WHERE id = ?');
  const conversations = db.prepare<[], { id: string; contact_id: string }>('SELECT id, contact_id FROM conversations').all();
  const updateConversation = db.prepare('UPDATE conversations SET mac = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) update.run(mac.compute(columnsOf(r)), r.id);
    for (const c of conversations) updateConversation.run(mac.conversation(c.id, c.contact_id), c.id);
    db.prepare("UPDATE store_meta SET value = 'done' WHERE key = 'trust_mac_backfill'").run();
  })();
  return rows.length;
}
