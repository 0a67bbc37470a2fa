/**
 * The headless peer's command line as another program meets it: an identity that survives
 * restarts, `--json` stdout that is JSON and nothing else, and usage errors that say what is
 * wrong — with a non-zero exit and never a stack trace.
 */
import { describe, expect, it } from 'vitest';

import { type CliPeer, is, usePeers } from '../helpers/cli-peer';

/** Node's stack frames ("    at fn (file:1:2)") or an uncaught error's header. */
const STACK = /^\s+at\s|Error \[ERR_|node:internal|\.ts:\d+:\d+/m;

function expectNoStack(peer: CliPeer): void {
  expect(peer.stderr, `${peer.label}'s stderr`).not.toMatch(STACK);
  expect(peer.stdout, `${peer.label}'s stdout`).not.toMatch(STACK);
}

describe('the headless peer command line', () => {
  const peers = usePeers();

  it('`id` twice in one profile prints the same identity: it survives restarts', async () => {
    const dir = peers.profile('ivy');
    const first = peers.spawn(['id', '--json', '--profile-dir', dir, '--name', 'Ivy'], { label: 'id #1' });
    const one = await first.next(is.type('identity'), 'the first identity record');
    expect(await first.waitExit()).toEqual({ code: 0, signal: null });
    expect(one).toMatchObject({ type: 'identity', name: 'Ivy', profileDir: dir });
    expect(String(one.pin)).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
    expect(String(one.fingerprint)).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z*~$=]$/);

    // A second run (another --name is only for a profile without an identity) loads the same key.
    const second = peers.spawn(['id', '--json', '--profile-dir', dir, '--name', 'Someone else'], { label: 'id #2' });
    const two = await second.next(is.type('identity'), 'the second identity record');
    expect(await second.waitExit()).toEqual({ code: 0, signal: null });
    expect(two).toEqual(one);

    for (const p of [first, second]) {
      expect(p.nonJson, `non-JSON stdout of ${p.label}`).toEqual([]);
      expect(p.records).toHaveLength(1);
      // Every stdout line parses on its own.
      for (const line of p.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it('`id` without --json prints the pin for people, on stderr, and nothing on stdout', async () => {
    const dir = peers.profile('hugo');
    const json = peers.spawn(['id', '--json', '--profile-dir', dir, '--name', 'Hugo'], { label: 'id --json' });
    const record = await json.next(is.type('identity'), 'the identity record');
    await json.waitExit();
    const human = peers.spawn(['id', '--profile-dir', dir], { label: 'id' });
    expect(await human.waitExit()).toEqual({ code: 0, signal: null });
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(String(record.pin));
    expect(human.stderr).toContain(String(record.fingerprint));
  });

  const usageErrors: { why: string; args: string[]; exit: number[]; says: RegExp }[] = [
    { why: 'an unknown command', args: ['chat'], exit: [2], says: /Unknown command "chat"/ },
    { why: 'connect without --pin', args: ['connect', '127.0.0.1:47474'], exit: [2], says: /--pin/ },
    { why: 'connect without an address', args: ['connect', '--pin', 'sha256/x'], exit: [2], says: /HOST:PORT/ },
    { why: '--port abc', args: ['listen', '--port', 'abc'], exit: [2], says: /--port takes a number/ },
    { why: '--accept-new with --accept-first', args: ['listen', '--accept-new', '--accept-first'], exit: [2], says: /Choose one of --accept-new .* and --accept-first/ },
    { why: '--to on connect', args: ['connect', '127.0.0.1:47474', '--pin', 'sha256/x', '--to', 'Bob'], exit: [2], says: /--to goes with listen/ },
    { why: '--port 70000', args: ['listen', '--port', '70000'], exit: [2], says: /--port takes a number/ },
    { why: 'an unknown option', args: ['id', '--colour'], exit: [2], says: /--colour/ },
    { why: 'a malformed pin', args: ['connect', '127.0.0.1:47474', '--pin', 'sha256/not-a-pin'], exit: [1, 2], says: /pin/i },
    { why: 'a fingerprint with a typo', args: ['connect', '127.0.0.1:47474', '--pin', 'YKSZ-ACYP-M5A6-KA4P-X65R-PAE0-4ARX-E998-23F3-DXWN-ND19-NV7M-6WY0-0'], exit: [1, 2], says: /check character|typo/i },
    { why: 'a malformed --trust pin', args: ['listen', '--host', '127.0.0.1', '--port', '0', '--trust', 'nope'], exit: [1, 2], says: /pin/i },
    { why: 'a malformed address', args: ['connect', 'no-port-here', '--pin', 'sha256/9PP1M9ahVGmolumLiynAIrHXJSgQ3jb3latCmuz0Nzw='], exit: [1, 2], says: /HOST:PORT/ },
  ];

  for (const { why, args, exit, says } of usageErrors) {
    it(`refuses ${why} with a clear message, exit ${exit.join(' or ')}, no stack trace`, async () => {
      const dir = peers.profile('usage');
      const human = peers.spawn([...args, '--profile-dir', dir, '--name', 'Usage'], { label: `${args[0]} (human)` });
      const humanExit = await human.waitExit();
      expect(exit, `exit code ${String(humanExit.code)}\n${human.describe()}`).toContain(humanExit.code);
      expect(human.stderr).toMatch(says);
      expect(human.stdout, 'stdout in human mode').toBe('');
      expectNoStack(human);

      // With --json, stdout stays JSON only: an `error` record or nothing at all.
      const json = peers.spawn([...args, '--json', '--profile-dir', dir, '--name', 'Usage'], { label: `${args[0]} (json)` });
      const jsonExit = await json.waitExit();
      expect(jsonExit.code).toBe(humanExit.code);
      expect(json.nonJson).toEqual([]);
      expect(json.records.every((r) => r.type === 'error' || r.type === 'event'), json.describe()).toBe(true);
      const said = `${json.stderr}\n${json.ofType('error').map((r) => String(r.message)).join('\n')}`;
      expect(said).toMatch(says);
      expectNoStack(json);
    });
  }

  it('`help` prints the usage on stderr and exits 0', async () => {
    const help = peers.spawn(['--help'], { label: 'help' });
    expect(await help.waitExit()).toEqual({ code: 0, signal: null });
    expect(help.stderr).toMatch(/^Usage: lockstep <command>/);
    expect(help.stdout).toBe('');
  });

  it('`npm run peer` runs the same command line', async () => {
    const dir = peers.profile('npm');
    const viaNpm = peers.spawn(['run', '-s', 'peer', '--', 'id', '--json', '--profile-dir', dir, '--name', 'Npm'], {
      label: 'npm run peer',
      command: [process.platform === 'win32' ? 'npm.cmd' : 'npm'],
    });
    const record = await viaNpm.next(is.type('identity'), 'the identity record');
    expect(await viaNpm.waitExit()).toEqual({ code: 0, signal: null });
    expect(record).toMatchObject({ name: 'Npm', profileDir: dir });
    expect(viaNpm.nonJson).toEqual([]);
  });
});
