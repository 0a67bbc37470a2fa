/**
 * The three properties as a scoreboard: each lit once the story, up to the step on screen, has
 * shown it — and pointing at the step that proved it:
 *
 *   encryption      a record opened only with the session keys and found to be the message
 *                   (the independent witness: the bytes on the wire really are what was sent)
 *   integrity       a tampered or replayed record rejected (a drill's verdict: defeated)
 *   authentication  the pin checked: the key presented is the one pinned (or an impostor refused)
 */
import type { Beat } from './stage-beats';
import type { Property } from './step-explanations';
import { readCarried } from './record-steps';
import type { Story } from './stage-story';

export interface Proof {
  property: Property;
  /** Index of the proving beat in the story. */
  beat: number;
  words: string;
}

export type Scoreboard = Record<Property, Proof | null>;

export const PROPERTIES: readonly Property[] = ['encryption', 'integrity', 'authentication'];

function proofOf(beat: Beat): { property: Property; words: string } | null {
  const e = beat.source;
  const s = beat.subject;
  if (s.kind === 'record' && s.witness?.detail.equal && s.record.detail.decrypted?.epoch === 'application') {
    const plaintext = s.record.detail.decrypted.plaintext;
    const text = plaintext !== undefined ? readCarried(plaintext).text : null;
    return { property: 'encryption', words: `Record #${s.record.detail.index} opened only with the session keys${text ? `: “${text}”` : ''} ✓` };
  }
  if (e.kind === 'drill.verdict' && e.detail.outcome === 'defeated') {
    if (e.detail.drill === 'tamper') return { property: 'integrity', words: 'A tampered record was rejected: its tag did not match ✓' };
    if (e.detail.drill === 'replay') return { property: 'integrity', words: 'A replayed record was rejected: its sequence number was used ✓' };
    if (e.detail.drill === 'impostor') return { property: 'authentication', words: 'An impostor’s key was refused before anything was sent ✓' };
  }
  if (e.kind === 'trust.check' && e.detail.verdict === 'match') {
    return { property: 'authentication', words: `The key presented is the one pinned${e.detail.contactName ? ` for ${e.detail.contactName}` : ''} ✓` };
  }
  return null;
}

/** The first proof of each property among beats 0…`upTo` (the step on screen); -1 shows none. */
export function scoreboard(story: Story, upTo: number): Scoreboard {
  const board: Scoreboard = { encryption: null, integrity: null, authentication: null };
  const end = Math.min(upTo, story.beats.length - 1);
  for (let i = 0; i <= end; i++) {
    const proof = proofOf(story.beats[i]!);
    if (proof && !board[proof.property]) board[proof.property] = { ...proof, beat: i };
    if (board.encryption && board.integrity && board.authentication) break;
  }
  return board;
}
