import { forwardRef } from 'react';

import { formatMs } from '../state/format';
import type { Step } from '../state/sequence-steps';
import { DetailList } from './detail-list';

interface SequenceStepProps {
  step: Step;
  index: number;
  start: number;
  expanded: boolean;
  selfName: string;
  peerName: string;
  onToggle(key: string): void;
}

const propertyWords = { encryption: 'Encryption', integrity: 'Integrity', authentication: 'Authentication' } as const;

/**
 * One arrow of the diagram between the two lifelines (or a note on this side's lifeline). The
 * button names the step and who sent it; expanding it shows what the engine saw.
 */
export const SequenceStep = forwardRef<HTMLLIElement, SequenceStepProps>(function SequenceStep(
  { step, index, start, expanded, selfName, peerName, onToggle },
  ref,
) {
  const detailsId = `step-details-${step.key}`;
  const who = step.dir === 'out' ? `${selfName} to ${peerName}:` : step.dir === 'in' ? `${peerName} to ${selfName}:` : `${selfName}:`;
  return (
    <li
      ref={ref}
      data-index={index}
      data-key={step.key}
      className={`step step-${step.dir} tone-${step.tone}`}
      style={{ transform: `translateY(${start}px)` }}
    >
      <div className="step-body">
        <span className={`arrow arrow-${step.dir}`} aria-hidden="true" />
        <button type="button" className="step-button" aria-expanded={expanded} aria-controls={expanded ? detailsId : undefined} onClick={() => onToggle(step.key)}>
          {/* The spaces between the spans keep the words apart in the button's accessible name. */}
          <span className="sr-only">{who}</span> <span className="step-title">{step.title}</span>{' '}
          <span className="step-note">{step.note}</span> <span className="step-time">+{formatMs(step.elapsed)}</span>
        </button>
        <p className="step-explain">
          {step.property && <span className={`property property-${step.property}`}>{propertyWords[step.property]}</span>} {step.explain}
        </p>
        {expanded && (
          <div id={detailsId} className="step-details">
            <DetailList rows={step.details()} />
          </div>
        )}
      </div>
    </li>
  );
});
