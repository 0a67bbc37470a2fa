import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openMessenger } from '../core/messenger/messenger';
import { parseLaunchArgs, prepareProfileDirs, profilePaths } from './profile';

describe('parseLaunchArgs', () => {
  it('defaults to the default profile without demo mode', () => {
    expect(parseLaunchArgs([])).toEqual({ ok: true, value: { profile: 'default', demo: false, port: null, demoSetup: false, demoSide: null } });
  });

  it('reads the one-laptop demo switches', () => {
    expect(parseLaunchArgs(['--demo-setup'])).toMatchObject({ ok: true, value: { demoSetup: true, demoSide: null } });
    expect(parseLaunchArgs(['--profile', 'bob', '--demo', '--demo-side=right'])).toMatchObject({ ok: true, value: { demo: true, demoSide: 'right' } });
    expect(parseLaunchArgs(['--demo-side=middle'])).toMatchObject({ ok: true, value: { demoSide: null } });
  });

  it('reads --profile NAME, --profile=NAME and --demo among foreign arguments', () => {
    expect(parseLaunchArgs(['.', '--no-sandbox', '--profile', 'alice', '--demo'])).toEqual({ ok: true, value: { profile: 'alice', demo: true, port: null, demoSetup: false, demoSide: null } });
    expect(parseLaunchArgs(['--profile=bob-2'])).toEqual({ ok: true, value: { profile: 'bob-2', demo: false, port: null, demoSetup: false, demoSide: null } });
  });

  it('reads --port N and --port=N', () => {
    expect(parseLaunchArgs(['--profile', 'bob', '--port', '47475'])).toMatchObject({ ok: true, value: { profile: 'bob', port: 47475 } });
    expect(parseLaunchArgs(['--port=1'])).toMatchObject({ ok: true, value: { port: 1 } });
  });

  it.each([
    [['--profile'], /Give --profile a name/],
    [['--profile='], /Give --profile a name/],
    [['--profile', 'Alice'], /not a profile name/],
    [['--profile', '../etc'], /not a profile name/],
    [['--profile', 'a/b'], /not a profile name/],
    [['--profile', 'a'.repeat(33)], /not a profile name/],
    [['--profile', 'alice', '--profile', 'bob'], /only once/],
    [['--port'], /--port a number/],
    [['--port', '0'], /--port a number/],
    [['--port', '65536'], /--port a number/],
    [['--port', '80a'], /--port a number/],
    [['--port', '1', '--port', '2'], /only once/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseLaunchArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('accepts the longest allowed name', () => {
    expect(parseLaunchArgs(['--profile', 'a'.repeat(32)]).ok).toBe(true);
  });
});

describe('profilePaths', () => {
  it('keeps the engine files and Chromium state of a profile in one directory', () => {
    expect(profilePaths('/home/u/.config/Lockstep', 'alice')).toEqual({
      profileDir: join('/home/u/.config/Lockstep', 'profiles', 'alice'),
      userDataDir: join('/home/u/.config/Lockstep', 'profiles', 'alice', 'electron'),
    });
  });

  it('gives two profiles different lock directories', () => {
    expect(profilePaths('/b', 'alice').userDataDir).not.toBe(profilePaths('/b', 'bob').userDataDir);
  });
});

describe('prepareProfileDirs', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
  const base = () => {
    const root = mkdtempSync(join(tmpdir(), 'lockstep-profile-'));
    chmodSync(root, 0o755);
    roots.push(root);
    return join(root, 'Lockstep');
  };

  it('makes profiles/, the profile and its Electron folder 0700 under umask 022; the database files end up 0600', async () => {
    const previous = process.umask(0o022);
    try {
      const paths = profilePaths(base(), 'alice');
      prepareProfileDirs(paths);
      expect([mode(dirname(paths.profileDir)), mode(paths.profileDir), mode(paths.userDataDir)]).toEqual(['700', '700', '700']);
      const m = await openMessenger({ profileDir: paths.profileDir, listen: false });
      await m.createIdentity('Alice');
      m.send(m.addContact({ address: '127.0.0.1:9', pin: `sha256/${Buffer.alloc(32, 1).toString('base64')}`, name: 'Bob' }).id, 'queued');
      try {
        for (const f of ['lockstep.db', 'lockstep.db-wal', 'lockstep.db-shm', 'identity.key', 'database.key']) expect(mode(join(paths.profileDir, f)), f).toBe('600');
      } finally {
        await m.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('tightens the folders an earlier version made 0755, Chromium state inside included', () => {
    const paths = profilePaths(base(), 'bob');
    mkdirSync(paths.userDataDir, { recursive: true, mode: 0o755 });
    mkdirSync(join(paths.userDataDir, 'Cache'));
    for (const dir of [dirname(paths.profileDir), paths.profileDir, paths.userDataDir]) chmodSync(dir, 0o755);
    prepareProfileDirs(paths);
    expect([mode(dirname(paths.profileDir)), mode(paths.profileDir), mode(paths.userDataDir)]).toEqual(['700', '700', '700']);
  });
});
