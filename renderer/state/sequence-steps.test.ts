import { describe, expect, it } from 'vitest';

import type { EventInput } from '../../shared/events';
import { dialerSession, stamp } from '../test/fixtures';
import { buildRows, SequenceBuilder, type Row } from './sequence-steps';

const titles = (rows: Row[]) => rows.map((r) => (r.type === 'phase' ? `# ${r.phase}` : r.step.title));

describe('sequence steps', () => {
  it('draws only the chosen connection', () => {
    const events = stamp([...dialerSession('c1'), ...dialerSession('c2')]);
    const rows = buildRows(events, 'c2');
    expect(rows.filter((r) => r.type === 'step').every((r) => r.type === 'step' && events.find((e) => e.seq === r.step.seq)?.conn === 'c2')).toBe(true);
    expect(buildRows(events, null)).toEqual([]);
  });

  it('folds the plaintext hello records into the hello steps instead of repeating them', () => {
    const t = titles(buildRows(stamp(dialerSession()), 'c1'));
    expect(t.filter((x) => x.startsWith('Record: handshake'))).toEqual([]);
    expect(t.filter((x) => x === 'ClientHello')).toHaveLength(1);
  });

  it('keeps a close in the phase it happened in: a refused handshake never reaches data transfer', () => {
    const session = dialerSession().slice(0, 12);
    const closed: EventInput = { conn: 'c1', dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: 'closed', detail: { by: 'error', reason: 'refused', code: 'PIN_MISMATCH', contactId: 'alice' } };
    const t = titles(buildRows(stamp([...session, closed]), 'c1'));
    expect(t).not.toContain('# 3');
    expect(t[t.length - 1]).toBe('Connection closed');
  });

  it('names a detected key change instead of showing the raw kind', () => {
    const change: EventInput = { conn: 'c1', dir: 'local', layer: 'trust', kind: 'trust.key-change', summary: 'changed', detail: { changeId: 'k1', contactId: 'alice', oldPin: 'sha256/old', newPin: 'sha256/new', resolution: 'detected' } };
    const rows = buildRows(stamp([...dialerSession().slice(0, 12), change]), 'c1');
    const last = rows[rows.length - 1]!;
    expect(last.type === 'step' && last.step).toMatchObject({ title: 'Key changed: stopped', tone: 'bad', property: 'authentication' });
  });

  it('marks a record whose tag did not match as rejected, for the tamper drill', () => {
    const tampered: EventInput = {
      conn: 'c1', dir: 'in', layer: 'record', kind: 'tls.record', summary: 'not opened',
      detail: { index: 9, contentType: 'application_data', length: 97, headerHex: '1703030061', bodyPreview: '00', encrypted: true, undecryptable: 'tag mismatch at application sequence 4: the record was altered in flight or the keys are wrong', unopened: 'tag-mismatch' },
    };
    const rows = buildRows(stamp([...dialerSession(), tampered]), 'c1');
    const last = rows[rows.length - 1]!;
    expect(last.type === 'step' && last.step).toMatchObject({ title: 'Record rejected', tone: 'bad', property: 'integrity' });
  });

  it('explains a record too short for its tag without calling it tampering', () => {
    const short: EventInput = {
      conn: 'c1', dir: 'in', layer: 'record', kind: 'tls.record', summary: 'not opened',
      detail: { index: 9, contentType: 'application_data', length: 5, headerHex: '1703030005', bodyPreview: '00', encrypted: true, undecryptable: 'record of 5 bytes is too short to hold a 16-byte tag', unopened: 'too-short' },
    };
    const rows = buildRows(stamp([...dialerSession(), short]), 'c1');
    const last = rows[rows.length - 1]!;
    expect(last.type === 'step' && last.step.title).toBe('Encrypted record');
  });

  it('shows the independent witness and the tamper drill as steps, and unknown kinds in the engine words', () => {
    const extra: EventInput[] = [
      { conn: 'c1', dir: 'local', layer: 'drill', kind: 'drill.tamper', summary: 'armed', detail: { phase: 'armed', contactId: 'alice', recordIndex: null, byteOffset: null, bit: null } },
      { conn: 'c1', dir: 'out', layer: 'drill', kind: 'drill.tamper', summary: 'flipped', detail: { phase: 'flipped', contactId: 'alice', recordIndex: 5, byteOffset: 12, bit: 3 } },
      { conn: 'c1', dir: 'local', layer: 'record', kind: 'tls.witness', summary: 'same', detail: { recordIndex: 4, bytes: 80, equal: true, preview: 'meet at 6' } },
      { conn: 'c1', dir: 'local', layer: 'app', kind: 'some.future-kind', summary: 'Something new happened.', detail: {} } as unknown as EventInput,
    ];
    const steps = buildRows(stamp([...dialerSession(), ...extra]), 'c1').flatMap((r) => (r.type === 'step' ? [r.step] : []));
    const last = steps.slice(-4);
    expect(last.map((s) => s.title)).toEqual(['Tamper drill armed', 'Bit flipped in flight', 'Independent check ✓', 'some.future-kind']);
    expect(last[1]).toMatchObject({ tone: 'bad', note: 'bit 3 of byte 12 in record 5' });
    expect(last[2]!.note).toContain('decrypted independently, not by OpenSSL: meet at 6 ✓');
    expect(last[3]!.note).toBe('Something new happened.');
  });

  it('grows batch by batch to the same diagram as a build at once, and forgets what the store dropped', () => {
    const events = stamp(dialerSession());
    const builder = new SequenceBuilder('c1');
    builder.add(events.slice(0, 7));
    builder.add(events.slice(0, 16)); // the store hands over the whole array each time
    builder.add(events);
    const keys = (rows: Row[]) => rows.map((r) => r.key);
    expect(keys(builder.rows())).toEqual(keys(buildRows(events, 'c1')));

    builder.dropBefore(events[10]!.seq);
    const steps = builder.rows().filter((r) => r.type === 'step');
    expect(steps.every((r) => r.type === 'step' && r.step.seq >= events[10]!.seq)).toBe(true);
    expect(builder.rows()[0]).toMatchObject({ type: 'phase', phase: 2 });
  });

  it('links a msg frame and the record that carried it to the message id', () => {
    const steps = buildRows(stamp(dialerSession()), 'c1').flatMap((r) => (r.type === 'step' ? [r.step] : []));
    expect(steps.filter((s) => s.messageId === 'm1').map((s) => s.title)).toEqual(['msg frame', 'Encrypted record']);
  });
});
