import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { LockstepError } from '../errors';
import { humanFingerprint } from '../trust/pins';
import { encodeTxt, escapeControls, hostProblem, instanceProblem, nameProblem, parseTxtStrings, readTxt } from './txt';

const PIN = `sha256/${createHash('sha256').update('alice').digest('base64')}`;
const strings = (...items: (string | Uint8Array)[]) => items.map((s) => (typeof s === 'string' ? Buffer.from(s) : s));

describe('TXT record of an advertisement', () => {
  it('encodes v, pin and name, and reads them back as a claim with the fingerprint', () => {
    const txt = encodeTxt({ name: 'Alice 👩‍💻', pin: PIN });
    expect(txt).toEqual({ v: '1', pin: PIN, name: 'Alice 👩‍💻' });
    const verdict = readTxt(Object.entries(txt).map(([k, v]) => Buffer.from(`${k}=${v}`)));
    expect(verdict).toEqual({ ok: true, claim: { name: 'Alice 👩‍💻', pin: PIN, fingerprint: humanFingerprint(PIN) } });
  });

  it('cleans a received name like every name from a peer: NFC, no invisible characters', () => {
    const verdict = readTxt(strings('v=1', `pin=${PIN}`, 'name=Zoe\u0301 B\u200bob'));
    expect(verdict).toMatchObject({ ok: true, claim: { name: 'Zo\u00e9 Bob' } });
    expect(readTxt(strings('v=1', `pin=${PIN}`, 'name=\u200b\u2060'))).toEqual({ ok: false, reason: 'malformed name: the name is only invisible characters' });
  });

  it('advertises the wire form of a pin given in its human form', () => {
    expect(encodeTxt({ name: 'Alice', pin: humanFingerprint(PIN) }).pin).toBe(PIN);
  });

  it('refuses to advertise what peers would refuse', () => {
    for (const [name, pin] of [
      ['', PIN],
      [' Alice', PIN],
      ['A'.repeat(65), PIN],
      ['Al\nice', PIN],
      ['Alice\u202Egnp.exe', PIN],
      ['Alice', 'sha256/short'],
      ['Alice', 'nonsense'],
    ] as const) {
      expect(() => encodeTxt({ name, pin }), JSON.stringify([name, pin])).toThrow(LockstepError);
      try {
        encodeTxt({ name, pin });
      } catch (err) {
        expect((err as LockstepError).code).toBe('BAD_ARGUMENT');
      }
    }
    expect(nameProblem('A'.repeat(64))).toBeNull();
  });

  it('ignores malformed records with a reason', () => {
    const cases: [Uint8Array[] | undefined, RegExp][] = [
      [undefined, /no TXT record/],
      [strings(`pin=${PIN}`, 'name=Alice'), /no version/],
      [strings('v=2', `pin=${PIN}`, 'name=Alice'), /unsupported version v="2"/],
      [strings('v', `pin=${PIN}`, 'name=Alice'), /unsupported version v=\(no value\)/],
      [strings('v=1', 'name=Alice'), /no pin/],
      [strings('v=1', 'pin=sha256/not-a-pin', 'name=Alice'), /malformed pin "sha256\/not-a-pin"/],
      [strings('v=1', `pin=${humanFingerprint(PIN)}`, 'name=Alice'), /malformed pin/],
      [strings('v=1', `pin=${PIN.slice(0, -2)}B=`, 'name=Alice'), /malformed pin/],
      [strings('v=1', `pin=${PIN}`), /no name/],
      [strings('v=1', `pin=${PIN}`, 'name='), /malformed name: the name is empty/],
      [strings('v=1', `pin=${PIN}`, `name=${'x'.repeat(65)}`), /longer than 64/],
      [strings('v=1', `pin=${PIN}`, 'name=Mal\u0007lory'), /control/],
      [strings('v=1', `pin=${PIN}`, 'name=Bob\u2066'), /control/],
      [strings('v=1', `pin=${PIN}`, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe])), /not UTF-8/],
      [strings('v=1', `pin=${PIN}`, 'name=A', Buffer.from([0x80, 0x3d, 0x31])), /not printable ASCII/],
      [Array.from({ length: 40 }, (_, i) => Buffer.from(`k${i}=1`)), /40 strings/],
    ];
    for (const [input, reason] of cases) {
      const verdict = readTxt(input);
      expect(verdict.ok, String(reason)).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toMatch(reason);
    }
  });

  it('follows RFC 6763: keys are case-insensitive, the first occurrence wins, empty strings are skipped', () => {
    const verdict = readTxt(strings('', 'V=1', `PIN=${PIN}`, 'pin=sha256/other', 'Name=Alice', 'name=Mallory'));
    expect(verdict).toMatchObject({ ok: true, claim: { name: 'Alice', pin: PIN } });
    expect(parseTxtStrings(strings('flag', 'x=a=b'))).toEqual(new Map([['flag', null], ['x', 'a=b']]));
  });

  it('quotes what it refuses without passing control characters on', () => {
    const verdict = readTxt(strings('v=\u202E1', `pin=${PIN}`, 'name=A'));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).not.toMatch(/\u202E/);
  });

  it('accepts DNS host names and refuses controls and spaces', () => {
    expect(hostProblem('alice-laptop.local')).toBeNull();
    expect(hostProblem('')).toMatch(/no host/);
    expect(hostProblem('a b.local')).toMatch(/spaces/);
    expect(hostProblem('a\u0000.local')).toMatch(/control/);
    expect(hostProblem('a'.repeat(254))).toMatch(/253/);
  });

  it('escapes controls and direction overrides in received text it reports, and bounds it', () => {
    expect(escapeControls('Mallory\u202Etxt.exe\u0007')).toBe('Mallory\\u202etxt.exe\\u0007');
    expect(escapeControls('👩‍💻'.repeat(10), 3)).toBe('👩‍💻…');
    expect(instanceProblem('Lockstep ABCD._lockstep._tcp.local')).toBeNull();
    expect(instanceProblem('Bob\u2067._lockstep._tcp.local')).toMatch(/control/);
  });
});
