import { describe, expect, it } from 'vitest';

import type { CertificateSummary } from '../../../shared/events';
import { claimedName } from './peer-check';

const withSubject = (subject: string) => ({ subject }) as CertificateSummary;

describe('claimedName', () => {
  it('undoes the RFC 4514 escapes Node prints in a subject', () => {
    expect(claimedName(withSubject('CN=Doe\\, John'))).toBe('Doe, John');
    expect(claimedName(withSubject('CN=\\#1 fan'))).toBe('#1 fan');
    expect(claimedName(withSubject('CN=back\\\\slash'))).toBe('back\\slash');
    expect(claimedName(withSubject('CN=Zo\\C3\\AB'))).toBe('Zoë');
  });

  it('cleans what it finds: an escaped control and a direction override are gone', () => {
    expect(claimedName(withSubject('CN=\u202eboB\\07x'))).toBe('boBx');
    expect(claimedName(withSubject('O=Example\nCN=Bo\u200bb'))).toBe('Bob');
  });

  it('a missing or invisible CN is "Unnamed"', () => {
    expect(claimedName(withSubject('O=Example'))).toBe('Unnamed');
    expect(claimedName(withSubject('CN=\u200b\\1B'))).toBe('Unnamed');
  });
});
