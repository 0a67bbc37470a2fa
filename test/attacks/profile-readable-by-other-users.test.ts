/**
 * Attack: another user account on the same machine reads the profile — the database (sealed
 * bodies, but pins, addresses and the message timeline in the clear), its WAL and shared-memory
 * files. The desktop shell created the profile folder 0755 before the engine's 0700 applied, and
 * SQLite created the database files 0644. Every profile folder must be 0700 and the database
 * files 0600, whatever the umask; where this run is root, a real other user (nobody) tries to read.
 * (The desktop shell's own folders are checked beside it, in main/electron/profile.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openMessenger } from '../../main/core/messenger/messenger';
import { CliPeer, TSX_PEER } from '../helpers/cli-peer';
import { waitUntil } from '../helpers/wait';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A world-readable place, as a home directory usually is: only the profile's own modes protect it. */
function openRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-modes-'));
  chmodSync(root, 0o755);
  roots.push(root);
  return root;
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const DB_FILES = ['lockstep.db', 'lockstep.db-wal', 'lockstep.db-shm'];
const canSwitchUser = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

/** `cat` as the user nobody: true when that user could read the file. */
function nobodyCanRead(path: string): boolean {
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cat', path], { stdio: 'pipe' }).status === 0;
}

describe('a profile readable by other users', () => {
  it('the headless peer (umask 022): folders 0700, database, WAL and shared memory 0600 while it runs', async () => {
    const profileDir = join(openRoot(), 'home', '.config', 'lockstep', 'cli');
    // umask 022 is the usual default: what a person's shell gives the peer.
    const [cmd, ...pre] = TSX_PEER;
    const peer = new CliPeer(['listen', '--host', '127.0.0.1', '--port', '0', '--json', '--profile-dir', profileDir, '--name', 'Alice'], {
      command: ['/bin/sh', '-c', 'umask 022; exec "$@"', 'sh', cmd!, ...pre],
      label: 'alice',
    });
    try {
      await peer.next((r) => r.type === 'ready', 'the ready record');
      await waitUntil(() => DB_FILES.every((f) => existsSync(join(profileDir, f))), 'the database, its WAL and shared-memory files');
      expect(Object.fromEntries(DB_FILES.map((f) => [f, mode(join(profileDir, f))]))).toEqual({ 'lockstep.db': '600', 'lockstep.db-wal': '600', 'lockstep.db-shm': '600' });
      for (const dir of [profileDir, dirname(profileDir), dirname(dirname(profileDir))]) expect(mode(dir), dir).toBe('700');
      expect(mode(join(profileDir, 'identity.key'))).toBe('600');
      expect(mode(join(profileDir, 'database.key'))).toBe('600');
      if (canSwitchUser) for (const f of DB_FILES) expect(nobodyCanRead(join(profileDir, f)), `nobody reads ${f}`).toBe(false);
    } finally {
      await peer.kill();
    }
  });

  it('a profile an earlier version left 0755 with a 0644 database is tightened when it is opened', async () => {
    const profileDir = join(openRoot(), 'old-profile');
    mkdirSync(profileDir, { mode: 0o755 });
    chmodSync(profileDir, 0o755);
    const first = await openMessenger({ profileDir, listen: false });
    await first.close();
    chmodSync(profileDir, 0o755);
    chmodSync(join(profileDir, 'lockstep.db'), 0o644);
    writeFileSync(join(profileDir, 'lockstep.db-wal'), '', { mode: 0o644 });
    const again = await openMessenger({ profileDir, listen: false });
    try {
      expect(mode(profileDir)).toBe('700');
      for (const f of DB_FILES) expect(mode(join(profileDir, f)), f).toBe('600');
    } finally {
      await again.close();
    }
  });

  it('a folder that holds other things is not taken over: the profile inside it is still private', async () => {
    const shared = openRoot();
    writeFileSync(join(shared, 'notes.txt'), 'not ours');
    const m = await openMessenger({ profileDir: shared, listen: false });
    try {
      expect(mode(shared), 'a folder with foreign files keeps its mode').toBe('755');
      expect(mode(join(shared, 'lockstep.db'))).toBe('600');
    } finally {
      await m.close();
    }
  });
});
