import { describe, expect, it } from 'vitest';

import { ALICE_FINGERPRINT, ALICE_PIN, EVE_FINGERPRINT, EVE_PIN } from '../test/fixtures';
import { humanFingerprint } from './human-fingerprint';

describe('human fingerprint', () => {
  it("matches the engine's human form for the same pin", () => {
    expect(humanFingerprint(ALICE_PIN)).toBe(ALICE_FINGERPRINT);
    expect(humanFingerprint(EVE_PIN)).toBe(EVE_FINGERPRINT);
  });

  it('refuses what is not a SHA-256 pin', () => {
    expect(humanFingerprint('sha1/abc')).toBeNull();
    expect(humanFingerprint('sha256/c2hvcnQ=')).toBeNull();
    expect(humanFingerprint('sha256/***')).toBeNull();
  });
});
