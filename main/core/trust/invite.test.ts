import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { formatInvite, parseInvite } from './invite';
import { humanFingerprint } from './pins';

const pin = `sha256/${createHash('sha256').update('a key').digest('base64')}`;

describe('invites', () => {
  it.each([
    { host: '192.168.1.20', port: 47474, pin, name: 'Alice' },
    { host: '::1', port: 5000, pin, name: 'Bob' },
    { host: 'carol.local', port: 1, pin, name: 'Carol & Dave = "friends"?' },
    { host: '10.0.0.1', port: 65535, pin, name: 'Zoë ✓ #1' },
  ])('round-trips $host:$port', (invite) => {
    const text = formatInvite(invite);
    expect(text.startsWith('lockstep://')).toBe(true);
    expect(parseInvite(text)).toEqual(invite);
  });

  it('puts IPv6 hosts in brackets and escapes the pin so "+" and "/" survive', () => {
    const tricky = `sha256/${Buffer.alloc(32, 0xfb).toString('base64')}`; // "+/+/…" characters
    expect(tricky).toMatch(/[+/]/);
    const text = formatInvite({ host: '2001:db8::7', port: 80, pin: tricky, name: 'x' });
    expect(text.startsWith('lockstep://[2001:db8::7]:80?')).toBe(true);
    expect(parseInvite(text).pin).toBe(tricky);
  });

  it('accepts a pin in the human form and returns the wire form', () => {
    const text = `lockstep://10.0.0.2:47474?pin=${encodeURIComponent(humanFingerprint(pin))}&name=Al`;
    expect(parseInvite(text)).toEqual({ host: '10.0.0.2', port: 47474, pin, name: 'Al' });
  });

  it('tolerates surrounding whitespace and an upper-case scheme, and a missing name', () => {
    const text = `  LOCKSTEP://10.0.0.2:47474?pin=${encodeURIComponent(pin)}\n`;
    expect(parseInvite(text)).toEqual({ host: '10.0.0.2', port: 47474, pin, name: '' });
  });

  it('cuts a long name to 64 characters', () => {
    expect(parseInvite(formatInvite({ host: 'h', port: 1, pin, name: 'n'.repeat(200) })).name).toHaveLength(64);
  });

  it.each([
    ['another scheme', `https://10.0.0.2:47474?pin=${encodeURIComponent(pin)}`],
    ['no pin', 'lockstep://10.0.0.2:47474?name=x'],
    ['no port', `lockstep://10.0.0.2?pin=${encodeURIComponent(pin)}`],
    ['a port out of range', `lockstep://10.0.0.2:70000?pin=${encodeURIComponent(pin)}`],
    ['not a link at all', 'lockstep://'],
    ['just text', 'please add me'],
  ])('refuses %s with BAD_INVITE', (_label, text) => {
    expect(() => parseInvite(text)).toThrow(expect.objectContaining({ code: 'BAD_INVITE' }));
  });

  it('refuses a damaged pin with BAD_PIN', () => {
    expect(() => parseInvite('lockstep://10.0.0.2:47474?pin=sha256%2Fnope')).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
    const typo = humanFingerprint(pin).replace(/^./, (c) => (c === '7' ? '8' : '7'));
    expect(() => parseInvite(`lockstep://h:1?pin=${typo}`)).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
  });
});

describe('invites that say one thing and mean another', () => {
  const q = `?pin=${encodeURIComponent(pin)}&name=Bob`;
  it.each([
    ['a userinfo with a host and port', `lockstep://bob.corp:47474@203.0.113.5:47474${q}`],
    ['a user name', `lockstep://bob@203.0.113.5:47474${q}`],
    ['an empty userinfo', `lockstep://@203.0.113.5:47474${q}`],
    ['an escaped @', `lockstep://bob%40corp@203.0.113.5:47474${q}`],
    ['an escaped @ alone', `lockstep://bob.corp%4047474:1${q}`],
    ['a path', `lockstep://203.0.113.5:47474/evil${q}`],
    ['two pins', `lockstep://203.0.113.5:47474${q}&pin=${encodeURIComponent(pin)}`],
    ['two names', `lockstep://203.0.113.5:47474${q}&name=Mallory`],
  ])('refuses %s with BAD_INVITE', (_label, text) => {
    expect(() => parseInvite(text)).toThrow(expect.objectContaining({ code: 'BAD_INVITE' }));
  });

  it('an @ after the authority (in the name) is fine, and the name is cleaned', () => {
    expect(parseInvite(`lockstep://203.0.113.5:47474?pin=${encodeURIComponent(pin)}&name=${encodeURIComponent('bob@corp\u202e')}`)).toMatchObject({
      host: '203.0.113.5',
      name: 'bob@corp',
    });
  });
});
