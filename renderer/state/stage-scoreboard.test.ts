import { describe, expect, it } from 'vitest';

import type { EventInput } from '../../shared/events';
import { impostorThroughEve, tamperThroughEve } from '../test/drill-fixtures';
import { dialerSession, stamp } from '../test/fixtures';
import { scoreboard } from './stage-scoreboard';
import { buildStory } from './stage-story';

function withWitness(inputs: EventInput[], text: string): EventInput[] {
  const carrier = inputs.find((e) => e.kind === 'tls.record' && e.detail.decrypted?.plaintext?.includes(text));
  if (carrier?.kind !== 'tls.record') throw new Error(`no record carries ${text}`);
  return [...inputs, { conn: carrier.conn, dir: carrier.dir, layer: 'record', kind: 'tls.witness', summary: 'w', detail: { recordIndex: carrier.detail.index, bytes: 80, equal: true, preview: text } }];
}

describe('the scoreboard', () => {
  const story = buildStory(stamp([...withWitness(dialerSession('out-1', 'alice'), 'meet at 6'), ...tamperThroughEve('out-2', 'eve1-1')]), { selfName: 'Bob' });
  const at = (title: string) => story.beats.findIndex((b) => b.title === title);

  it('lights each property at the step that proved it, and only once the presenter has reached it', () => {
    const pin = at('Pin check ✓');
    expect(scoreboard(story, pin - 1).authentication).toBeNull();
    expect(scoreboard(story, pin).authentication).toEqual({ property: 'authentication', beat: pin, words: 'The key presented is the one pinned for Alice ✓' });

    const all = scoreboard(story, story.beats.length - 1);
    const record = story.beats[all.encryption!.beat]!;
    expect(record.subject.kind === 'record' && record.subject.witness?.detail.preview).toBe('meet at 6');
    expect(all.encryption!.words).toMatch(/^Record #4 opened only with the session keys: “meet at 6” ✓$/);
    // This side's verdict (the other side's alert) comes before Eve's: it is the first proof.
    expect(story.beats[all.integrity!.beat]!.title).toBe('Tamper defeated ✓');
    expect(story.beats[all.integrity!.beat]!.lane).toBe('self');
    expect(all.encryption!.beat).toBeLessThan(all.integrity!.beat);
  });

  it('stays dark without proof: a witness on a handshake record or an unchecked one proves nothing', () => {
    const bare = buildStory(stamp(dialerSession('c1', 'alice').filter((e) => e.kind !== 'trust.check')), { selfName: 'Bob' });
    expect(scoreboard(bare, bare.beats.length - 1)).toEqual({ encryption: null, integrity: null, authentication: null });
    expect(scoreboard(bare, -1)).toEqual({ encryption: null, integrity: null, authentication: null });
  });

  it('counts an impostor refused as authentication shown', () => {
    const refused = buildStory(stamp(impostorThroughEve()), { selfName: 'Bob' });
    const board = scoreboard(refused, refused.beats.length - 1);
    expect(board.authentication?.words).toBe('An impostor’s key was refused before anything was sent ✓');
    expect(board.integrity).toBeNull();
  });
});
