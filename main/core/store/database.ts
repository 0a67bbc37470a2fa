/**
 * The profile's SQLite database (better-sqlite3): WAL for crash safety without blocking readers,
 * `secure_delete` so overwritten plaintext does not linger in free pages, schema versions in
 * `user_version`, each migration in its own transaction.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { LockstepError } from '../errors';
import { type Migration, MIGRATIONS } from './migrations';
import { prepareDatabaseFiles } from './private-files';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS.length;
export const DATABASE_FILE = 'lockstep.db';

export function openDatabase(profileDir: string, options: { nativeBinding?: string } = {}): Db {
  let db: Db;
  const path = join(profileDir, DATABASE_FILE);
  try {
    prepareDatabaseFiles(path);
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (e) {
    throw new LockstepError('STORE_ERROR', `Cannot open the database in ${profileDir}: ${(e as Error).message}`, { cause: e });
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash of the app (kill -9); only a power cut may lose the last one.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    migrate(db);
  } catch (e) {
    db.close();
    if (e instanceof LockstepError) throw e;
    throw new LockstepError('STORE_ERROR', `The database in ${profileDir} is damaged or not a Lockstep database: ${(e as Error).message}`, { cause: e });
  }
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new LockstepError(
      'STORE_ERROR',
      `This database was written by a newer Lockstep (schema ${current}, this one knows ${migrations.length}). Update the app.`,
    );
  }
  for (let version = current; version < migrations.length; version += 1) {
    db.transaction(() => {
      const step = migrations[version]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** True when the database holds sealed rows, i.e. losing the key would lose data. */
export function hasSealedData(db: Db): boolean {
  const row = db
    .prepare<[], { n: number }>(
      // EXISTS, not COUNT: this runs at every open, and a long history must not slow the start.
      `SELECT EXISTS (SELECT 1 FROM messages) OR EXISTS (SELECT 1 FROM contacts WHERE name_sealed IS NOT NULL) AS n`,
    )
    .get();
  return (row?.n ?? 0) > 0;
}
