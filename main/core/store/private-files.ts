/**
 * A profile is readable by its user only: folders 0700, the database and its WAL, shared-memory
 * and journal files 0600 — whatever the umask, and also for a profile an earlier version left
 * 0755/0644. Other users on the machine must not read even the sealed history: the database also
 * holds pins, addresses and the timeline of every conversation in the clear.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** What a profile folder holds; a folder with anything else in it is someone else's too. */
const PROFILE_ENTRY = /^(identity\.(key|key\.wrapped|crt|json)|lockstep\.db(-wal|-shm|-journal)?|database\.key(\.wrapped)?|electron)(\.tmp-\d+)?$/;

/** SQLite gives the WAL, shared-memory and journal files the database file's own mode. */
export const DATABASE_FILES = ['', '-wal', '-shm', '-journal'] as const;

function ownedByMe(path: string): boolean {
  const uid = process.getuid?.();
  return uid === undefined || statSync(path).uid === uid;
}

/**
 * Make `dir` (and any missing parent) 0700. An existing folder is tightened when it is wholly
 * Lockstep's — `lockstepOnly`, or it holds nothing but a profile's files — and this user owns it;
 * a folder shared with other files (say `--profile-dir ~/Documents`) keeps its mode.
 */
export function ensurePrivateDir(dir: string, { lockstepOnly = false } = {}): void {
  // A new folder gets 0700 outright (the umask can only take bits away); parents made here too.
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform === 'win32' || (statSync(dir).mode & 0o777) === DIR_MODE || !ownedByMe(dir)) return;
  if (lockstepOnly || readdirSync(dir).every((name) => PROFILE_ENTRY.test(name))) chmodSync(dir, DIR_MODE);
}

/**
 * Before SQLite opens `dbPath`: create the file 0600 if it is new (SQLite would make it 0644, and
 * its WAL and shared memory after it), and bring an existing one and its companions to 0600.
 */
export function prepareDatabaseFiles(dbPath: string): void {
  if (process.platform === 'win32') return;
  if (!existsSync(dbPath)) closeSync(openSync(dbPath, 'a', FILE_MODE));
  for (const suffix of DATABASE_FILES) {
    const path = `${dbPath}${suffix}`;
    if (existsSync(path) && (statSync(path).mode & 0o777) !== FILE_MODE) chmodSync(path, FILE_MODE);
  }
}
