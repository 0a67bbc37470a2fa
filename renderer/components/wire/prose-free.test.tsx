/**
 * Sentences are for people: the panel may show them but never decide anything by them. The same
 * event streams are drawn twice, once as the engine words them and once with every sentence
 * (summaries, the decryptor's and the witness's reasons, TLS messages, verdict reasons) replaced
 * by nonsense; every step's title and tone, every stage beat's lane and tone, and the record
 * view's verdict must come out the same.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { EventInput, LockstepEvent } from '../../../shared/events';
import { buildRows } from '../../state/sequence-steps';
import { buildStory } from '../../state/stage-story';
import { impostorThroughEve, tamperThroughEve } from '../../test/drill-fixtures';
import { dialerSession, stamp } from '../../test/fixtures';
import { RecordView } from './record-view';

const PROSE = new Set(['summary', 'undecryptable', 'unchecked', 'message', 'reason', 'note']);
const NONSENSE = 'zorp blat quux — tag mismatch? no: wibble';

function scramble<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scramble) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, PROSE.has(k) && typeof v === 'string' ? NONSENSE : scramble(v)])) as T;
}

/** Bob's session, then a record that fails its tag, a replayed copy, a sampled one, and the witness on each. */
function tamperedSession(): EventInput[] {
  const session = dialerSession('c1', 'alice');
  const record = (index: number, unopened: 'tag-mismatch' | 'sampled', undecryptable: string, replayOf?: number): EventInput => ({
    conn: 'c1', dir: 'in', layer: 'record', kind: 'tls.record', summary: 'Encrypted record, not opened',
    detail: { index, contentType: 'application_data', length: 97, headerHex: '1703030061', bodyPreview: '00', encrypted: true, undecryptable, unopened, ...(replayOf === undefined ? {} : { replayOf }) },
  });
  const witness = (recordIndex: number, cause: 'tag-mismatch' | 'replay' | 'not-opened', unchecked: string): EventInput => ({
    conn: 'c1', dir: 'in', layer: 'record', kind: 'tls.witness', summary: `RECORD #${recordIndex} …`, detail: { recordIndex, bytes: 0, equal: false, preview: '', unchecked, cause },
  });
  return [
    ...session,
    record(20, 'tag-mismatch', 'tag mismatch at application sequence 4: the record was altered in flight or the keys are wrong'),
    witness(20, 'tag-mismatch', 'tag mismatch at application sequence 4: the record was altered in flight or the keys are wrong'),
    record(21, 'tag-mismatch', 'tag mismatch at application sequence 5 — an exact copy of record #20: a replay', 20),
    record(22, 'sampled', 'not decrypted: bulk traffic is sampled'),
    witness(22, 'not-opened', 'not decrypted: bulk traffic is sampled'),
  ];
}

const steps = (events: LockstepEvent[]) =>
  buildRows(events, 'c1').map((r) => (r.type === 'phase' ? `# ${r.phase}` : `${r.step.title} · ${r.step.tone}`));
const beats = (events: LockstepEvent[]) => buildStory(events, { selfName: 'Bob' }).beats.map((b) => `${b.lane} ${b.tone}`);

describe('the panel reads facts, not sentences', () => {
  it('draws the same steps, with the same tones, when every sentence is nonsense', () => {
    const events = stamp(tamperedSession());
    const drawn = steps(events);
    expect(drawn).toContain('Record rejected · bad');
    expect(steps(events.map(scramble))).toEqual(drawn);
  });

  it('draws the same stage beats for the drill streams when every sentence is nonsense', () => {
    for (const stream of [tamperThroughEve(), impostorThroughEve(), tamperedSession()]) {
      const events = stamp(stream);
      expect(beats(events.map(scramble))).toEqual(beats(events));
    }
  });

  it.each([
    ['tag-mismatch', 'alert'],
    ['replay', 'alert'],
    ['not-opened', null],
  ] as const)('gives the record view the same verdict for a witness stopped by %s, whatever its words', (cause, role) => {
    const inputs = dialerSession('c1', 'alice');
    const carrier = inputs.find((e) => e.kind === 'tls.record' && e.detail.decrypted?.plaintext?.includes('"id":"m1"'));
    if (carrier?.kind !== 'tls.record') throw new Error('fixture has no record for m1');
    const witness: EventInput = {
      conn: 'c1', dir: carrier.dir, layer: 'record', kind: 'tls.witness', summary: 'w',
      detail: { recordIndex: carrier.detail.index, bytes: 80, equal: false, preview: 'meet at 6', unchecked: 'tag mismatch at application sequence 3', cause },
    };
    for (const events of [stamp([...inputs, witness]), stamp([...inputs, witness]).map(scramble)]) {
      const { unmount } = render(<RecordView events={events} messageId="m1" />);
      const view = screen.getByRole('region', { name: 'Record view' });
      if (role) expect(within(view).getByRole(role)).toHaveTextContent('MISMATCH');
      else expect(within(view).queryByRole('alert')).toBeNull();
      unmount();
    }
  });
});
