import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseLaunchArgs, profilePaths } from './profile';

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
