/**
 * The profile's SQLite database (better-sqlite3): WAL for crash safety without blocking readers,
 * schema versions tracked in `user_version`, each migration applied in its own transaction.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { LockstepError } from '../errors';

export type Db = Database.Database;

/** Migrations in order; index + 1 is the schema version they produce. Never edit a shipped one. */
const MIGRATIONS: string[] = [
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(profileDir: string, options: { nativeBinding?: string } = {}): Db {
  let db: Db;
  try {
    db = new Database(join(profileDir, 'lockstep.db'), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (e) {
    throw new LockstepError('STORE_ERROR', `Cannot open the database in ${profileDir}: ${(e as Error).message}`, { cause: e });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new LockstepError(
      'STORE_ERROR',
      `This database was written by a newer Lockstep (schema ${current}, this one knows ${MIGRATIONS.length}). Update the app.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
