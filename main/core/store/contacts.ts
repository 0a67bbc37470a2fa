/**
 * Contacts and the pin each one is trusted by. A pin identifies a contact; a name is only a label,
 * and is sealed at rest like message bodies. Every pin a contact ever had stays in pin_history.
 */
import { randomUUID } from 'node:crypto';

import { namesakeKeys } from '../trust/names';
import type { Db } from './database';
import type { RowSealer } from './row-sealer';

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
}

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
}

export class ContactStore {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly sealer: RowSealer,
  ) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM contacts ORDER BY created_at'),
      byId: db.prepare<[string], Row>('SELECT * FROM contacts WHERE id = ?'),
      byPin: db.prepare<[string], Row>('SELECT * FROM contacts WHERE pin = ?'),
      insert: db.prepare(
        `INSERT INTO contacts (id, name, name_sealed, pin, address, verified, created_at)
         VALUES (@id, '', @nameSealed, @pin, @address, @verified, @createdAt)`,
      ),
      history: db.prepare('INSERT OR IGNORE INTO pin_history (contact_id, pin) VALUES (?, ?)'),
      seen: db.prepare('UPDATE contacts SET last_seen = @at, first_seen = COALESCE(first_seen, @at) WHERE id = @id'),
      seenPin: db.prepare(
        'UPDATE pin_history SET last_seen = @at, first_seen = COALESCE(first_seen, @at) WHERE contact_id = @id AND pin = @pin',
      ),
      rename: db.prepare('UPDATE contacts SET name_sealed = @nameSealed WHERE id = @id'),
      setAddress: db.prepare('UPDATE contacts SET address = @address WHERE id = @id'),
      setVerified: db.prepare('UPDATE contacts SET verified = @verified WHERE id = @id'),
      setPin: db.prepare('UPDATE contacts SET pin = @pin, verified = @verified WHERE id = @id'),
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
    return {
      id: r.id,
      name,
      pin: r.pin,
      address: r.address,
      verified: r.verified === 1,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      createdAt: r.created_at,
      problem,
    };
  }

  private seal(id: string, name: string): Buffer {
    return this.sealer.seal(name, { table: 'contacts', rowId: id, conversationId: '' });
  }

  list(): Contact[] {
    return this.stmts.all.all().map((r) => this.fromRow(r));
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

  /** Add a contact, or return the one already holding this pin (updating its address if given). */
  add(input: { name: string; pin: string; address: string | null; verified?: boolean }): { contact: Contact; created: boolean } {
    const existing = this.byPin(input.pin);
    if (existing) {
      if (input.address && input.address !== existing.address) this.setAddress(existing.id, input.address);
      return { contact: this.byId(existing.id)!, created: false };
    }
    const id = randomUUID();
    this.stmts.insert.run({
      id,
      nameSealed: this.seal(id, input.name),
      pin: input.pin,
      address: input.address,
      verified: input.verified ? 1 : 0,
      createdAt: new Date().toISOString(),
    });
    this.stmts.history.run(id, input.pin);
    return { contact: this.byId(id)!, created: true };
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
    this.stmts.setAddress.run({ id, address });
  }

  setVerified(id: string, verified: boolean): void {
    this.stmts.setVerified.run({ id, verified: verified ? 1 : 0 });
  }

  /**
   * A re-verified key change: the contact is trusted by the new pin from now on; the old one stays
   * in pin_history with the time it was retired.
   */
  replacePin(id: string, newPin: string, verified: boolean): void {
    const current = this.byId(id);
    if (!current || current.pin === newPin) return;
    this.db.transaction(() => {
      this.stmts.retirePin.run({ id, pin: current.pin, at: new Date().toISOString() });
      this.stmts.setPin.run({ id, pin: newPin, verified: verified ? 1 : 0 });
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
