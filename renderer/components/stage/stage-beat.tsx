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

/** Eve's half of the wire beside her lane: the line the bytes travel on, with whether they can be read. */
function Beside({ tag }: { tag: string | null }) {
  return (
    <span className="beat-line eve-arrow" aria-hidden="true">
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
 * travels. What anyone on the path can read says so in words ("in the clear") on a dashed line;
 * encrypted bytes travel on a solid one (and the step on screen says "encrypted" in its note).
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
  const tag = beat.clear === null ? null : beat.clear ? 'in the clear' : 'encrypted';
  const who = <span className="sr-only">{`Step ${number}, ${whoOf(beat, names)}:`}</span>;
  return (
    <li ref={ref} className={classes.filter(Boolean).join(' ')} aria-current={current ? 'step' : undefined} data-key={beat.key}>
      <button type="button" className="beat-button" onClick={() => onOpen(beat.key)}>
        {beat.lane === 'wire' ? (
          // What travels, written on the line it travels along.
          <span className="beat-line">
            <span className="beat-label">
              {who} <span className="beat-title">{beat.title}</span>
              {beat.clear && !beat.title.includes('in the clear') ? (
                <>
                  {' '}
                  <span className="beat-tag">{tag}</span>
                </>
              ) : (
                tag && <span className="sr-only"> ({tag})</span>
              )}
            </span>
          </span>
        ) : (
          <span className="beat-text">
            {who} <span className="beat-title">{beat.title}</span>
          </span>
        )}{' '}
        <span className="beat-note">{beat.note}</span>
      </button>
      {beat.lane === 'eve' && beat.flow && <Beside tag={tag} />}
    </li>
  );
});
