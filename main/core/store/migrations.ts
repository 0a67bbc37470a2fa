/**
 * Schema migrations, applied in order by `user_version`. Each is plain SQL so it can run before
 * the database key is loaded; sealing data that an older schema kept in plaintext happens after
 * (see sealLegacyNames). Never edit a shipped migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: contacts and their pins.
  `CREATE TABLE contacts (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     pin TEXT NOT NULL UNIQUE,
     address TEXT,
     verified INTEGER NOT NULL DEFAULT 0,
     first_seen TEXT,
     last_seen TEXT,
     created_at TEXT NOT NULL
   );`,
  // 2: sealed names, the history of pins, conversations, messages and the outbox.
  `ALTER TABLE contacts ADD COLUMN name_sealed BLOB;
   CREATE TABLE pin_history (
     contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
     pin TEXT NOT NULL,
     first_seen TEXT,
     last_seen TEXT,
     retired_at TEXT,
     PRIMARY KEY (contact_id, pin)
   );
   INSERT INTO pin_history (contact_id, pin, first_seen, last_seen)
     SELECT id, pin, first_seen, last_seen FROM contacts;
   CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     contact_id TEXT NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL
   );
   CREATE TABLE messages (
     n INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
     body_sealed BLOB NOT NULL,
     sent_at TEXT NOT NULL,
     received_at TEXT,
     delivered_at TEXT,
     state TEXT NOT NULL,
     unread INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX messages_by_conversation ON messages (conversation_id, n);
   CREATE INDEX messages_unread ON messages (conversation_id) WHERE unread = 1;
   CREATE TABLE outbox (
     n INTEGER PRIMARY KEY,
     message_id TEXT NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
     conversation_id TEXT NOT NULL,
     queued_at TEXT NOT NULL
   );`,
];
