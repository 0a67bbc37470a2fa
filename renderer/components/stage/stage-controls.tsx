import type { ContactView } from '../../../shared/views';
import type { StageMode } from '../../state/stage-cursor';
import { Composer } from '../composer';
import type { Drills, EveMode } from '../wire/use-drills';
import type { StageCommand } from './use-stage-keys';

const drillButtons: { key: string; command: StageCommand; label: string; title: string }[] = [
  { key: 'E', command: { kind: 'eve', mode: 'passive' as EveMode }, label: 'Eve listens', title: 'Eavesdropper: Eve relays and sees only records' },
  { key: 'T', command: { kind: 'eve', mode: 'tamper' as EveMode }, label: 'Eve tampers', title: 'Tamper: Eve flips a bit of your next message' },
  { key: 'R', command: { kind: 'eve', mode: 'replay' as EveMode }, label: 'Eve replays', title: 'Replay: Eve sends a record twice' },
  { key: 'I', command: { kind: 'eve', mode: 'impostor' as EveMode }, label: 'Impostor', title: 'Impostor: Eve answers with her own key' },
  { key: 'F', command: { kind: 'flip' }, label: 'Flip mine', title: 'Flip a bit in my next message (no Eve)' },
  { key: 'D', command: { kind: 'downgrade' }, label: 'TLS 1.2', title: 'Try a TLS 1.2 downgrade' },
  { key: 'C', command: { kind: 'classical' }, label: 'Classical', title: 'Connect once with X25519 alone, to compare with the post-quantum hybrid' },
  { key: 'X', command: { kind: 'stop-eve' }, label: 'Stop Eve', title: 'Stop Eve: talk directly again' },
];

interface StageControlsProps {
  mode: StageMode;
  atStart: boolean;
  atEnd: boolean;
  /** The contact the drills and the message go to (none when replaying a saved session). */
  target: ContactView | null;
  drills: Drills;
  composing: boolean;
  run(command: StageCommand): void;
}

/** Stepping, the drills (a key each, shown on the button) and a message, along the bottom. */
export function StageControls({ mode, atStart, atEnd, target, drills, composing, run }: StageControlsProps) {
  return (
    <footer className="stage-controls">
      <div className="control-group" role="group" aria-label="Steps">
        <button type="button" disabled={atStart} aria-label="Back" onClick={() => run({ kind: 'move', move: 'back' })}>
          <kbd>←</kbd>
        </button>
        <button type="button" disabled={atEnd} onClick={() => run({ kind: 'move', move: 'next' })}>
          <kbd>Space</kbd> Next
        </button>
        <button type="button" aria-pressed={mode === 'live'} onClick={() => run({ kind: 'live' })}>
          <kbd>L</kbd> Live
        </button>
        <button type="button" aria-label="Keys" onClick={() => run({ kind: 'help' })}>
          <kbd>?</kbd>
        </button>
      </div>
      {target && (
        <div className="control-group" role="group" aria-label={`Drills with ${target.name}`}>
          {drillButtons.map((b) => (
            <button key={b.key} type="button" disabled={drills.busy} title={b.title} onClick={() => run(b.command)}>
              <kbd>{b.key}</kbd> {b.label}
            </button>
          ))}
          {!composing && (
            <button type="button" onClick={() => run({ kind: 'message' })}>
              <kbd>M</kbd> Message
            </button>
          )}
        </div>
      )}
      {target && composing && (
        <div className="stage-composer" role="group" aria-label={`Message to ${target.name}`}>
          <Composer contactId={target.id} />
        </div>
      )}
      <p className={drills.status?.error ? 'drill-status error' : 'drill-status'} role="status">
        {drills.status?.text ?? (drills.downgrade ? `${drills.downgrade.title}: ${drills.downgrade.outcome === 'defeated' ? 'refused by the listener ✓' : drills.downgrade.outcome}` : '')}
      </p>
    </footer>
  );
}
