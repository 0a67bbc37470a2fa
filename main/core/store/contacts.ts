/** Contacts and the pin each one is trusted by. A pin identifies a contact; a name is only a label. */
import { randomUUID } from 'node:crypto';

import type { Db } from './database';

export interface Contact {
  id: string;
  name: string;
  pin: string;
  address: string | null;
  verified: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  createdAt: string;
}

interface Row {
  id: string;
  name: string;
  pin: string;
  address: string | null;
  verified: number;
  first_seen: string | null;
  last_seen: string | null;
  created_at: string;
}

const fromRow = (r: Row): Contact => ({
  id: r.id,
  name: r.name,
  pin: r.pin,
  address: r.address,
  verified: r.verified === 1,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  createdAt: r.created_at,
});

export class ContactStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM contacts ORDER BY name COLLATE NOCASE'),
      byId: db.prepare<[string], Row>('SELECT * FROM contacts WHERE id = ?'),
      byPin: db.prepare<[string], Row>('SELECT * FROM contacts WHERE pin = ?'),
      byName: db.prepare<[string], Row>('SELECT * FROM contacts WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare(
        'INSERT INTO contacts (id, name, pin, address, verified, created_at) VALUES (@id, @name, @pin, @address, @verified, @createdAt)',
      ),
      seen: db.prepare(
        'UPDATE contacts SET last_seen = @at, first_seen = COALESCE(first_seen, @at) WHERE id = @id',
      ),
      rename: db.prepare('UPDATE contacts SET name = @name WHERE id = @id'),
      setAddress: db.prepare('UPDATE contacts SET address = @address WHERE id = @id'),
    };
  }

  list(): Contact[] {
    return this.stmts.all.all().map(fromRow);
  }

  byId(id: string): Contact | null {
    const row = this.stmts.byId.get(id);
    return row ? fromRow(row) : null;
  }

  byPin(pin: string): Contact | null {
    const row = this.stmts.byPin.get(pin);
    return row ? fromRow(row) : null;
  }

  byName(name: string): Contact | null {
    const row = this.stmts.byName.get(name);
    return row ? fromRow(row) : null;
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
      name: input.name,
      pin: input.pin,
      address: input.address,
      verified: input.verified ? 1 : 0,
      createdAt: new Date().toISOString(),
    });
    return { contact: this.byId(id)!, created: true };
  }

  markSeen(id: string, at = new Date().toISOString()): void {
    this.stmts.seen.run({ id, at });
  }

  rename(id: string, name: string): void {
    this.stmts.rename.run({ id, name });
  }

  setAddress(id: string, address: string): void {
    this.stmts.setAddress.run({ id, address });
  }
}
