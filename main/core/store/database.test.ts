import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { Lab } from '../../../test/helpers/profiles';
import { type Db, migrate, openDatabase, SCHEMA_VERSION } from './database';

const lab = new Lab();
const opened: Db[] = [];
afterAll(async () => {
  for (const db of opened) if (db.open) db.close();
  await lab.cleanup();
});

const open = (dir: string) => {
  const db = openDatabase(dir);
  opened.push(db);
  return db;
};

/** Read the file with a separate SQLite connection, not through the code under test. */
function inspect<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'lockstep.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const PIN_A = `sha256/${Buffer.alloc(32, 1).toString('base64')}`;
const PIN_B = `sha256/${Buffer.alloc(32, 2).toString('base64')}`;

describe('openDatabase', () => {
  it('creates lockstep.db in WAL mode at the current schema version', () => {
    const dir = lab.tempDir();
    open(dir).close();
    expect(existsSync(join(dir, 'lockstep.db'))).toBe(true);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    expect(inspect(dir, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    expect(inspect(dir, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
    const tables = inspect(dir, (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
    expect(tables).toContain('contacts');
  });

  it('keeps contacts across a close and a reopen of the profile, without migrating twice', async () => {
    const dir = lab.tempDir();
    const first = await lab.open(dir, { listen: false });
    await first.m.createIdentity('Owner');
    const added = first.m.addContact({ address: '10.0.0.2:47474', pin: PIN_A, name: 'Alice' });
    first.m.addContact({ address: '[::1]:5000', pin: PIN_B, name: 'Bob' });
    await lab.close(first.m);
    const second = await lab.open(dir, { listen: false });
    expect(second.m.contacts.byPin(PIN_A)).toMatchObject({ id: added.id, name: 'Alice', pin: PIN_A, address: '10.0.0.2:47474' });
    expect(second.m.contacts.list().map((c) => c.pin).sort()).toEqual([PIN_A, PIN_B].sort());
    await lab.close(second.m);
    expect(inspect(dir, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
    expect(inspect(dir, (db) => db.prepare('SELECT COUNT(*) FROM contacts').pluck().get())).toBe(2);
  });

  it('refuses a database written by a newer version with STORE_ERROR, leaving it untouched', () => {
    const dir = lab.tempDir();
    open(dir).close();
    const future = new Database(join(dir, 'lockstep.db'));
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.exec('CREATE TABLE from_the_future (x)');
    future.close();
    expect(() => open(dir)).toThrow(expect.objectContaining({ code: 'STORE_ERROR', message: expect.stringMatching(/newer/) }));
    expect(inspect(dir, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION + 1);
  });

  it('reports a file that is not a database as STORE_ERROR', () => {
    const dir = lab.tempDir();
    writeFileSync(join(dir, 'lockstep.db'), 'this is not an SQLite file, just text. '.repeat(50));
    expect(() => open(dir)).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
  });

  it('reports a profile directory that cannot hold a database as STORE_ERROR', () => {
    const dir = join(lab.tempDir(), 'does', 'not', 'exist');
    expect(() => open(dir)).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
  });
});

describe('migrate', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    opened.push(db);
    return db;
  };

  it('applies each migration once, in order, and records the version', () => {
    const db = fresh();
    migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y)', 'CREATE TABLE c (z)']);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['a', 'b', 'c']);
  });

  it('rolls a failing migration back whole and keeps the last good version', () => {
    const db = fresh();
    expect(() => migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y); INSERT INTO nowhere VALUES (1)'])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['a']);
  });
});
