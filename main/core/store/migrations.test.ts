import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { describeFiles, findPlaintext } from '../../../test/helpers/durability-files';
import { DATABASE_FILE, migrate, SCHEMA_VERSION } from './database';
import { loadDatabaseKey } from './database-key';
import { MIGRATIONS } from './migrations';
import { RowSealer } from './row-sealer';
import { openStore, type Store } from './store';

const dirs: string[] = [];
const handles: Array<{ close(): unknown; open: boolean }> = [];
afterAll(() => {
  for (const h of handles) if (h.open) h.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-migrate-'));
  dirs.push(dir);
  return dir;
}

function raw(dir: string, options: Database.Options = {}): Database.Database {
  const db = new Database(join(dir, DATABASE_FILE), options);
  handles.push(db);
  return db;
}

function open(dir: string): Store {
  const store = openStore(dir);
  handles.push(store.db);
  return store;
}

const pin = (n: number) => `sha256/${Buffer.alloc(32, n).toString('base64')}`;

/** A database as Lockstep 0.1 (schema v1) left it: WAL, no secure_delete, names in plaintext. */
function makeV1(dir: string, contacts: Array<{ name: string; pin: string; renamedFrom?: string }>): Array<{ id: string; name: string; pin: string }> {
  const db = raw(dir);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db, MIGRATIONS.slice(0, 1));
  expect(db.pragma('user_version', { simple: true })).toBe(1);
  const insert = db.prepare('INSERT INTO contacts (id, name, pin, address, verified, first_seen, last_seen, created_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)');
  const out = contacts.map((c) => {
    const id = randomUUID();
    const at = new Date().toISOString();
    insert.run(id, c.renamedFrom ?? c.name, c.pin, '127.0.0.1:47474', at, at, at);
    return { id, name: c.name, pin: c.pin };
  });
  // The v1 app's own updates: markSeen and rename rewrite the row.
  for (const [i, c] of contacts.entries()) {
    if (c.renamedFrom) db.prepare('UPDATE contacts SET name = ? WHERE id = ?').run(c.name, out[i]!.id);
    db.prepare('UPDATE contacts SET last_seen = ? WHERE id = ?').run(new Date(Date.now() + 1000).toISOString(), out[i]!.id);
  }
  db.close();
  return out;
}

describe('schema migrations', () => {
  it('the list is non-empty and openStore brings an empty database to the latest user_version', () => {
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    const dir = tempDir();
    const store = open(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['contacts', 'pin_history', 'conversations', 'messages']));
    expect(tables).not.toContain('outbox'); // since 5: the outbox is an index on messages
    store.db.close();
  });

  it('applies to an empty database step by step: v0 → v1 → latest, each version only once', () => {
    const dir = tempDir();
    const db = raw(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'messages'").pluck().get()).toBe(0);
    migrate(db, MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Running again is a no-op (a second ALTER TABLE ADD COLUMN would throw).
    expect(() => migrate(db, MIGRATIONS)).not.toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const columns = db.prepare('PRAGMA table_info(contacts)').all() as Array<{ name: string }>;
    expect(columns.map((c) => c.name)).toContain('name_sealed');
    db.close();
  });

  it('v1 → latest through openStore: the contact stays, its name readable, its pin in pin_history, the plaintext gone from the file', () => {
    const dir = tempDir();
    const NAME = 'Perpetua Wolfenden-Quayle';
    const [v1] = makeV1(dir, [{ name: NAME, pin: pin(3) }]);
    // The test can fail: before the migration the name is in the file in plaintext.
    expect(findPlaintext(dir, [NAME]).length, 'the v1 name in the v1 file').toBeGreaterThan(0);

    const store = open(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.contacts.list()).toHaveLength(1);
    expect(store.contacts.byId(v1!.id)).toMatchObject({ id: v1!.id, name: NAME, pin: v1!.pin, address: '127.0.0.1:47474', problem: null });
    expect(store.contacts.byPin(v1!.pin)?.name).toBe(NAME);
    const history = store.db.prepare('SELECT contact_id, pin, first_seen, last_seen, retired_at FROM pin_history').all();
    expect(history).toEqual([{ contact_id: v1!.id, pin: v1!.pin, first_seen: expect.any(String), last_seen: expect.any(String), retired_at: null }]);
    const row = store.db.prepare('SELECT name, name_sealed FROM contacts WHERE id = ?').get(v1!.id) as { name: string; name_sealed: Buffer };
    expect(row.name).toBe('');
    expect(Buffer.isBuffer(row.name_sealed)).toBe(true);

    // While open (db, -wal, -shm as they are now) and after closing.
    expect(findPlaintext(dir, [NAME]), `plaintext while open; files: ${describeFiles(dir)}`).toEqual([]);
    store.db.close();
    expect(findPlaintext(dir, [NAME]), `plaintext after close; files: ${describeFiles(dir)}`).toEqual([]);

    // A second open neither re-seals nor loses it.
    const again = open(dir);
    expect(again.contacts.byId(v1!.id)?.name).toBe(NAME);
    again.db.close();
  });

  it('v1 → latest with several contacts, including an empty name: all sealed, all readable', () => {
    const dir = tempDir();
    const names = ['Ignatius Thornbury', 'Wilhelmina Achterberg', ''];
    const v1 = makeV1(dir, names.map((name, i) => ({ name, pin: pin(10 + i) })));
    const store = open(dir);
    for (const c of v1) expect(store.contacts.byId(c.id), c.name).toMatchObject({ name: c.name, pin: c.pin, problem: null });
    expect(store.db.prepare('SELECT COUNT(*) FROM pin_history').pluck().get()).toBe(3);
    expect(store.db.prepare("SELECT COUNT(*) FROM contacts WHERE name_sealed IS NULL OR name != ''").pluck().get()).toBe(0);
    store.db.close();
    expect(findPlaintext(dir, names.filter(Boolean)), `files: ${describeFiles(dir)}`).toEqual([]);
  });

  it('v1 → latest leaves no earlier plaintext name either (a contact renamed under v1)', () => {
    const dir = tempDir();
    const OLD = 'Obadiah Featherstonehaugh';
    const NEW = 'Cornelius Vandersloot-Abercrombie of Little Snoring';
    makeV1(dir, [
      { name: NEW, pin: pin(20), renamedFrom: OLD },
      { name: 'Second Contact', pin: pin(21) },
      { name: 'Third Contact', pin: pin(22) },
    ]);
    // Without secure_delete, v1 left the old name in the page's free space: the test can fail.
    expect(findPlaintext(dir, [OLD]).length, 'the pre-rename name in the v1 file').toBeGreaterThan(0);
    const store = open(dir);
    expect(store.contacts.list().map((c) => c.name).sort()).toEqual([NEW, 'Second Contact', 'Third Contact'].sort());
    store.db.close();
    expect(findPlaintext(dir, [NEW, OLD, 'Second Contact', 'Third Contact']), `files: ${describeFiles(dir)}`).toEqual([]);
  });
});

/**
 * A database as the v2 app left it: sealed names and bodies, messages with globally unique ids,
 * some of them still in the outbox. Written with the v2 schema and the profile's real key.
 */
function makeV2(dir: string) {
  const db = raw(dir);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 2));
  const sealer = new RowSealer(loadDatabaseKey(dir, null, false).key);
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();
  const people = ['Alice', 'Bob'].map((name, i) => {
    const id = randomUUID();
    const conversation = randomUUID();
    db.prepare("INSERT INTO contacts (id, name, name_sealed, pin, address, verified, created_at) VALUES (?, '', ?, ?, ?, 0, ?)").run(
      id,
      sealer.seal(name, { table: 'contacts', rowId: id, conversationId: '' }),
      pin(40 + i),
      `127.0.0.1:${4000 + i}`,
      at(i),
    );
    db.prepare('INSERT INTO pin_history (contact_id, pin) VALUES (?, ?)').run(id, pin(40 + i));
    db.prepare('INSERT INTO conversations (id, contact_id, created_at) VALUES (?, ?, ?)').run(conversation, id, at(i));
    return { id, name, conversation };
  });
  const insert = db.prepare(
    'INSERT INTO messages (id, conversation_id, direction, body_sealed, sent_at, received_at, delivered_at, state, unread) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const rows: Array<{ contact: string; id: string; text: string; state: string; queued: boolean }> = [];
  for (const [i, spec] of [
    [0, 'in', 'a-in-1', 'received', false],
    [0, 'out', 'a-out-1', 'delivered', false],
    [1, 'out', 'b-out-1', 'sent', true],
    [0, 'out', 'a-out-2', 'queued', true],
    [1, 'in', 'b-in-1', 'received', false],
    [1, 'out', 'b-out-2', 'queued', true],
  ].entries()) {
    const [who, direction, id, state, queued] = spec as [number, 'in' | 'out', string, string, boolean];
    const person = people[who]!;
    const text = `${person.name} #${i}: ${id}`;
    const body = sealer.seal(text, { table: 'messages', rowId: id, conversationId: person.conversation });
    insert.run(id, person.conversation, direction, body, at(10 + i), direction === 'in' ? at(11 + i) : null, state === 'delivered' ? at(12 + i) : null, state, direction === 'in' ? 1 : 0);
    if (queued) db.prepare('INSERT INTO outbox (message_id, conversation_id, queued_at) VALUES (?, ?, ?)').run(id, person.conversation, at(10 + i));
    rows.push({ contact: person.id, id, text, state, queued });
  }
  db.close();
  return { people, rows };
}

describe('migration 3: message ids unique per conversation', () => {
  it('v2 → latest keeps every message, its order, state and sealed body, and the whole outbox in order', () => {
    const dir = tempDir();
    const { people, rows } = makeV2(dir);
    const store = open(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
    for (const person of people) {
      const mine = rows.filter((r) => r.contact === person.id);
      const page = store.messages.page(person.id, undefined, 50);
      expect(page.map((m) => ({ id: m.id, text: m.text, state: m.state, problem: m.problem }))).toEqual(
        mine.map((r) => ({ id: r.id, text: r.text, state: r.state, problem: null })),
      );
      expect(store.messages.undelivered(person.id).map((m) => m.id)).toEqual(mine.filter((r) => r.queued).map((r) => r.id));
      expect(store.messages.unreadCount(person.id)).toBe(1);
    }
    expect(store.db.prepare('SELECT COUNT(*) FROM messages').pluck().get()).toBe(rows.length);
    const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['messages_by_conversation', 'messages_outbox', 'messages_unread']);
  });

  it('after it, two conversations hold the same id; an ack and the outbox stay within their conversation', () => {
    const dir = tempDir();
    const { people, rows } = makeV2(dir);
    const store = open(dir);
    const [alice, bob] = people as [(typeof people)[number], (typeof people)[number]];
    // Bob sends an id that Alice's conversation already holds: stored, not dropped.
    expect(store.messages.addIncoming(bob.id, 'a-in-1', 'Bob reuses an id', new Date().toISOString())).not.toBeNull();
    expect(store.messages.get(bob.id, 'a-in-1')?.text).toBe('Bob reuses an id');
    expect(store.messages.get(alice.id, 'a-in-1')?.text).toBe(rows[0]!.text);
    // Bob acknowledging Alice's queued message changes nothing.
    expect(store.messages.markDelivered(bob.id, 'a-out-2')).toBeNull();
    expect(store.messages.undelivered(alice.id).map((m) => m.id)).toEqual(['a-out-2']);
    expect(store.messages.markDelivered(alice.id, 'a-out-2')?.state).toBe('delivered');
    expect(store.messages.undelivered(alice.id)).toEqual([]);
    expect(store.messages.undelivered(bob.id).map((m) => m.id)).toEqual(['b-out-1', 'b-out-2']);
    // A deleted message leaves the outbox with it.
    store.db.prepare('DELETE FROM messages WHERE conversation_id = ? AND id = ?').run(bob.conversation, 'b-out-2');
    expect(store.messages.undelivered(bob.id).map((m) => m.id)).toEqual(['b-out-1']);
  });
});

describe('migration 4: authenticated trust columns', () => {
  it('v2 → latest computes the MAC of every existing contact once: none is damaged, verified flags kept', () => {
    const dir = tempDir();
    const { people } = makeV2(dir);
    const db = raw(dir);
    db.prepare('UPDATE contacts SET verified = 1 WHERE id = ?').run(people[0]!.id);
    db.close();
    const store = open(dir);
    expect(store.contacts.byId(people[0]!.id)).toMatchObject({ verified: true, damaged: null });
    expect(store.contacts.byId(people[1]!.id)).toMatchObject({ verified: false, damaged: null });
    expect(store.db.prepare("SELECT value FROM store_meta WHERE key = 'trust_mac_backfill'").pluck().get()).toBe('done');
    store.db.close();
    // After the upgrade a row without a valid MAC is damaged: the backfill does not run again.
    const edit = raw(dir);
    edit.prepare('UPDATE contacts SET verified = 1 WHERE id = ?').run(people[1]!.id);
    edit.close();
    expect(open(dir).contacts.byId(people[1]!.id)).toMatchObject({ verified: false, damaged: expect.any(String) });
  });
});

describe('migration 5: the outbox as an index on messages', () => {
  it('keeps every queued and sent message in the outbox in the order written, and one that had no outbox entry out of it', () => {
    const dir = tempDir();
    const { people } = makeV2(dir);
    const [alice, bob] = people as [(typeof people)[number], (typeof people)[number]];
    const db = raw(dir);
    migrate(db, MIGRATIONS.slice(0, 4));
    // A "sent" message whose outbox entry is gone: the old app would never send it again.
    db.prepare("INSERT INTO messages (id, conversation_id, direction, body_sealed, sent_at, state) VALUES ('b-out-orphan', ?, 'out', x'00', '2026-01-01T12:01:00.000Z', 'sent')").run(bob.conversation);
    db.close();

    const store = open(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.messages.undelivered(alice.id).map((m) => m.id)).toEqual(['a-out-2']);
    expect(store.messages.undelivered(bob.id).map((m) => m.id)).toEqual(['b-out-1', 'b-out-2']);
    expect(store.messages.get(bob.id, 'b-out-1')?.state).toBe('sent');
    expect(store.db.prepare("SELECT state FROM messages WHERE id = 'b-out-orphan'").pluck().get()).toBe('failed');
    expect(store.messages.contactsWithOutbox().sort()).toEqual([alice.id, bob.id].sort());
    // An ack takes a message out; a failure too.
    store.messages.markDeliveredMany(bob.id, ['b-out-1']);
    store.messages.markFailed(bob.id, 'b-out-2');
    expect(store.messages.undelivered(bob.id)).toEqual([]);
    expect(store.messages.contactsWithOutbox()).toEqual([alice.id]);
    store.db.close();
  });
});
