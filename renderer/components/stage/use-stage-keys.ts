import { useEffect, useEffectEvent } from 'react';

import type { Move } from '../../state/stage-cursor';
import type { EveMode } from '../wire/use-drills';

export type StageCommand =
  | { kind: 'move'; move: Move }
  | { kind: 'live' }
  | { kind: 'open' }
  | { kind: 'close' }
  /** Escape in a text field: leave it (the message field folds away). */
  | { kind: 'leave-field' }
  | { kind: 'help' }
  | { kind: 'eve'; mode: EveMode }
  | { kind: 'stop-eve' }
  | { kind: 'flip' }
  | { kind: 'downgrade' }
  | { kind: 'classical' }
  | { kind: 'message' };

const byKey: Record<string, StageCommand> = {
  ' ': { kind: 'move', move: 'next' },
  ArrowRight: { kind: 'move', move: 'next' },
  ArrowLeft: { kind: 'move', move: 'back' },
  ArrowDown: { kind: 'move', move: 'next-milestone' },
  ArrowUp: { kind: 'move', move: 'back-milestone' },
  PageDown: { kind: 'move', move: 'next-scene' },
  PageUp: { kind: 'move', move: 'back-scene' },
  Home: { kind: 'move', move: 'first' },
  End: { kind: 'move', move: 'last' },
  l: { kind: 'live' },
  Enter: { kind: 'open' },
  Escape: { kind: 'close' },
  '?': { kind: 'help' },
  e: { kind: 'eve', mode: 'passive' },
  t: { kind: 'eve', mode: 'tamper' },
  r: { kind: 'eve', mode: 'replay' },
  i: { kind: 'eve', mode: 'impostor' },
  x: { kind: 'stop-eve' },
  f: { kind: 'flip' },
  d: { kind: 'downgrade' },
  c: { kind: 'classical' },
  m: { kind: 'message' },
};

/** The command a key press means on the stage, or null (modifiers leave the key to the browser). */
export function commandOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): StageCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  return byKey[event.key.length === 1 ? event.key.toLowerCase() : event.key] ?? null;
}

/**
 * The presenter's keyboard, on the whole document: Space steps on even when a button has the
 * focus (Enter still presses buttons). In a text field only Escape counts: it leaves the field.
 */
export function useStageKeys(run: (command: StageCommand) => void): void {
  // The `run` of the render on screen at each key press, without listening again on every render.
  // An effect event is set when React commits, not while it renders: a render React starts and then
  // drops (the stage renders newer events in the background) must not leave a command that moves
  // through a story the room never saw (use-stage-keys-render.test.tsx).
  const onCommand = useEffectEvent(run);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const target = event.target as HTMLElement | null;
      const typing = target?.tagName === 'INPUT' || target?.tagName === 'TEXTAREA' || target?.tagName === 'SELECT' || target?.isContentEditable;
      if (typing) {
        if (event.key === 'Escape') {
          event.preventDefault();
          target?.blur();
          onCommand({ kind: 'leave-field' });
        }
        return;
      }
      const command = commandOf(event);
      if (!command) return;
      // Enter on a focused button presses it; on anything else it opens the step on screen.
      if (command.kind === 'open' && (target?.tagName === 'BUTTON' || target?.tagName === 'A' || target?.tagName === 'SUMMARY')) return;
      event.preventDefault();
      onCommand(command);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
