import { describe, expect, it } from 'vitest';

import { inviteFromArgv } from './deep-link';

describe('inviteFromArgv', () => {
  it('finds the invite among Electron and Chromium arguments', () => {
    const invite = 'lockstep://192.168.1.20:47474?pin=sha256%2FAAAA&name=Alice';
    expect(inviteFromArgv(['/usr/bin/lockstep', '--no-sandbox', invite])).toBe(invite);
    expect(inviteFromArgv(['LOCKSTEP://10.0.0.1:47474?pin=x'])).toBe('LOCKSTEP://10.0.0.1:47474?pin=x');
  });

  it('ignores other schemes, malformed links and absurdly long arguments', () => {
    expect(inviteFromArgv(['https://example.org', 'file:///etc/passwd'])).toBeNull();
    expect(inviteFromArgv(['lockstep://[not a host'])).toBeNull();
    expect(inviteFromArgv([`lockstep://a:1?pin=${'x'.repeat(2000)}`])).toBeNull();
    expect(inviteFromArgv([])).toBeNull();
  });
});
