/**
 * Looking for plaintext at rest: read every byte of every file under a profile directory (the
 * database, its -wal and -shm files, keys, certificates, anything else) and report where any of
 * the given texts appears, in UTF-8 or UTF-16 (either byte order), so a leak shows up whichever
 * way SQLite or anything else wrote it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Leak {
  file: string;
  text: string;
  encoding: 'utf8' | 'utf16le' | 'utf16be';
  offset: number;
}

/** Every regular file under `dir`, recursively, as paths relative to `dir`. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

function encodings(text: string): Array<[Leak['encoding'], Buffer]> {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  return [
    ['utf8', Buffer.from(text, 'utf8')],
    ['utf16le', le],
    ['utf16be', be],
  ];
}

/** Where the texts appear in the files under `dir` (an empty list: nowhere). */
export function findPlaintext(dir: string, texts: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  for (const file of listFiles(dir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, file));
    } catch {
      continue; // removed between listing and reading (a -wal file at checkpoint)
    }
    for (const text of texts) {
      for (const [encoding, needle] of encodings(text)) {
        const offset = bytes.indexOf(needle);
        if (offset >= 0) leaks.push({ file, text, encoding, offset });
      }
    }
  }
  return leaks;
}

/** The files and their sizes, for failure messages ("lockstep.db 32768, lockstep.db-wal 0"). */
export function describeFiles(dir: string): string {
  return listFiles(dir)
    .map((f) => `${f} ${statSync(join(dir, f)).size}`)
    .join(', ');
}
