/**
 * What the panel says about text the engine held back: a record opened by the independent
 * decryptor but not shown (its peer is not trusted, or was refused), the witness that compared
 * it, and the one step that releases the text once the peer is trusted.
 */
import { describe, expect, it } from 'vitest';

import type { EventInput, Withheld } from '../../shared/events';
import { dialerSession, stamp } from '../test/fixtures';
import { buildRows, type Step } from './sequence-steps';

const withheldRecord = (index: number, why: Withheld): EventInput => ({
  conn: 'c1', dir: 'in', layer: 'record', kind: 'tls.record', summary: 'Application data; text withheld',
  detail: {
    index, contentType: 'application_data', length: 60, headerHex: '170303003c', bodyPreview: '00', encrypted: true, withheld: why,
    decrypted: { epoch: 'application', sequence: 0, nonceHex: '00', tagHex: 'aa', innerContentType: 'application_data', handshakeMessages: [] },
  },
});

const steps = (inputs: EventInput[]): Step[] =>
  buildRows(stamp([...dialerSession(), ...inputs]), 'c1').flatMap((r) => (r.type === 'step' ? [r.step] : []));

describe('withheld plaintext in the panel', () => {
  it('says a record’s text is withheld, and why, in its note and its details', () => {
    const [held, refused] = steps([withheldRecord(20, 'peer-not-trusted'), withheldRecord(21, 'peer-refused')]).slice(-2);
    expect(held!.note).toContain('text withheld: this peer is not trusted (yet)');
    expect(held!.details()).toContainEqual({ label: 'Decrypted independently (not by OpenSSL)', value: 'text withheld: this peer is not trusted (yet)' });
    expect(held!.explain).toMatch(/a stranger must not be able to put words on this screen/);
    expect(refused!.note).toContain('text never shown: this connection was refused');
  });

  it('shows a witness without its preview while the peer is not trusted', () => {
    const witness: EventInput = { conn: 'c1', dir: 'in', layer: 'record', kind: 'tls.witness', summary: 'equal', detail: { recordIndex: 20, bytes: 60, equal: true, preview: '', withheld: 'peer-not-trusted' } };
    const step = steps([witness]).at(-1)!;
    expect(step.title).toBe('Independent check ✓');
    expect(step.note).toContain('text withheld');
    expect(step.details()).toContainEqual({ label: 'Starts with', value: 'text withheld: this peer is not trusted (yet)', mono: false });
  });

  it('releases the text in one step once the peer is trusted', () => {
    const released: EventInput = {
      conn: 'c1', dir: 'local', layer: 'record', kind: 'tls.released', summary: 'released',
      detail: { records: [{ dir: 'in', index: 20, plaintext: '{"type":"hello","v":1,"name":"Carol"}\n' }], witnesses: [], dropped: 0 },
    };
    const step = steps([withheldRecord(20, 'peer-not-trusted'), released]).at(-1)!;
    expect(step).toMatchObject({ title: 'Plaintext released', tone: 'good', property: 'authentication' });
    expect(step.note).toContain('1 record withheld until the decision');
    expect(step.details()).toEqual([{ label: 'Engine says', value: 'released' }, { label: 'Record #20 (received)', value: '{"type":"hello","v":1,"name":"Carol"}\n', mono: true }]);
  });
});
