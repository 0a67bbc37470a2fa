import { forwardRef } from 'react';

import type { Beat } from '../../state/stage-beats';

export interface LaneNames {
  self: string;
  peer: string;
  /** Eve sits on this scene's wire. */
  eve: boolean;
}

/** Who the beat is from (and to), as a screen reader hears it before the title. */
export function whoOf(beat: Beat, names: LaneNames): string {
  const far = names.eve ? 'Eve' : names.peer;
  switch (beat.lane) {
    case 'wire':
      return beat.flow === 'to-self' ? `${far} to ${names.self}` : `${names.self} to ${far}`;
    case 'eve':
      return beat.flow === 'to-peer' ? `Eve to ${names.peer}` : beat.flow === 'to-self' ? `${names.peer} to Eve` : 'Eve';
    case 'peer':
      return names.peer;
    case 'self':
      return names.self;
  }
}

/** The line the bytes travel along, labelled in words with whether anyone on the path can read them. */
function Arrow({ tag, beside = false }: { tag: string | null; beside?: boolean }) {
  return (
    <span className={beside ? 'beat-arrow eve-arrow' : 'beat-arrow'} aria-hidden="true">
      {tag && <span className="beat-tag">{tag}</span>}
    </span>
  );
}

interface StageBeatProps {
  beat: Beat;
  number: number;
  current: boolean;
  /** Shown in the drawer now. */
  open: boolean;
  names: LaneNames;
  onOpen(key: string): void;
}

/**
 * One beat in its lane: a decision on one side, or an arrow on the wire labelled with what
 * travels and whether anyone on the path can read it (said in words, not only by the line).
 */
export const StageBeat = forwardRef<HTMLLIElement, StageBeatProps>(function StageBeat({ beat, number, current, open, names, onOpen }, ref) {
  const classes = [
    'beat',
    `lane-${beat.lane}`,
    beat.flow ? `flow-${beat.flow}` : 'flow-none',
    `tone-${beat.tone}`,
    beat.clear === true ? 'is-clear' : beat.clear === false ? 'is-sealed' : '',
    current ? 'is-current' : '',
    open ? 'is-open' : '',
  ];
  // On Eve's lane the arrow sits on the wire beside her, toward (or from) the other side.
  const arrowInside = beat.flow !== null && (beat.lane !== 'eve' || !names.eve);
  const tag = beat.clear === null ? null : beat.clear ? 'in the clear' : 'encrypted';
  return (
    <li ref={ref} className={classes.filter(Boolean).join(' ')} aria-current={current ? 'step' : undefined} data-key={beat.key}>
      <button type="button" className="beat-button" onClick={() => onOpen(beat.key)}>
        <span className="beat-text">
          <span className="sr-only">{`Step ${number}, ${whoOf(beat, names)}:`}</span> <span className="beat-title">{beat.title}</span>{' '}
          {tag && <span className="sr-only">{tag},</span>} <span className="beat-note">{beat.note}</span>
        </span>
        {arrowInside && <Arrow tag={tag} />}
      </button>
      {beat.flow && !arrowInside && <Arrow tag={tag} beside />}
    </li>
  );
});
