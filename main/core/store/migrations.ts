/**
 * Schema migrations, applied in order by `user_version`. Each is SQL only (a string, or a function
 * for one that must look at the schema first), so it can run before the database key is loaded;
 * sealing data that an older schema kept in plaintext happens after (see sealLegacyNames). Never
 * edit a shipped migration: add the next one.
 */
import type { Db } from './database';

export type Migration = string | ((db: Db) => void);

export const MIGRATIONS: readonly Migration[] = [
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
  // 3: message ids are unique per conversation, not across all of them: two contacts may both
  // send "m-1". SQLite cannot change a UNIQUE constraint in place, so messages and the outbox
  // (which references them) are rebuilt and every row copied, keeping `n` (the order). The
  // outbox is dropped before messages: dropping messages first would cascade-delete it.
  `CREATE TABLE messages_v3 (
     n INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
     direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
     body_sealed BLOB NOT NULL,
     sent_at TEXT NOT NULL,
     received_at TEXT,
     delivered_at TEXT,
     state TEXT NOT NULL,
     unread INTEGER NOT NULL DEFAULT 0,
     UNIQUE (conversation_id, id)
   );
   INSERT INTO messages_v3 (n, id, conversation_id, direction, body_sealed, sent_at, received_at, delivered_at, state, unread)
     SELECT n, id, conversation_id, direction, body_sealed, sent_at, received_at, delivered_at, state, unread FROM messages;
   CREATE TABLE outbox_v3 (
     n INTEGER PRIMARY KEY,
     conversation_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     queued_at TEXT NOT NULL,
     UNIQUE (conversation_id, message_id),
     FOREIGN KEY (conversation_id, message_id) REFERENCES messages_v3 (conversation_id, id) ON DELETE CASCADE
   );
   INSERT INTO outbox_v3 (n, conversation_id, message_id, queued_at)
     SELECT o.n, m.conversation_id, o.message_id, o.queued_at FROM outbox o JOIN messages m ON m.id = o.message_id;
   DROP TABLE outbox;
   DROP TABLE messages;
   ALTER TABLE messages_v3 RENAME TO messages;
   ALTER TABLE outbox_v3 RENAME TO outbox;
   CREATE INDEX messages_by_conversation ON messages (conversation_id, n);
   CREATE INDEX messages_unread ON messages (conversation_id) WHERE unread = 1;`,
  // 4: the trust columns (pin, address, verified) are authenticated by trust_mac, and each
  // conversation's contact by conversations.mac (store/trust-mac.ts). The key comes from the
  // database key, so the MACs of existing rows are computed after it is loaded, once, while the
  // marker says "pending" (see authenticateLegacyTrust).
  `ALTER TABLE contacts ADD COLUMN trust_mac BLOB;
   ALTER TABLE conversations ADD COLUMN mac BLOB;
   CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   INSERT INTO store_meta (key, value) VALUES ('trust_mac_backfill', 'pending');`,
  // 5: the outbox is the outgoing messages not yet acknowledged, found by a partial index on
  // messages instead of a table of its own: one row and one index entry less to write per message
  // sent, one less to delete per ack. Its order stays the order written (`n`: each message and its
  // outbox entry were always inserted together). An outgoing message still "queued" or "sent"
  // without an outbox entry (none is made so) would have never been sent again; it stays so, as
  // failed. A database whose version was set back by an edit may have no outbox table left: then
  // there is nothing to carry over, and the index (already there) says what is in the outbox.
  (db) => {
    db.exec(`CREATE INDEX IF NOT EXISTS messages_outbox ON messages (conversation_id, n) WHERE direction = 'out' AND state IN ('queued', 'sent')`);
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get()) return;
    db.exec(`UPDATE messages SET state = 'failed'
       WHERE direction = 'out' AND state IN ('queued', 'sent')
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = messages.conversation_id AND o.message_id = messages.id);
     DROP TABLE outbox;`);
  },
];
