import type { Beat } from '../../state/stage-beats';
import { phaseTitles } from '../../state/sequence-steps';
import { whoOf, type LaneNames } from './stage-beat';

const propertyWords = { encryption: 'Encryption', integrity: 'Integrity', authentication: 'Authentication' } as const;

/** The step on screen in words, one idea: where it is, what it is, what it gives. */
export function StageCaption({ beat, names }: { beat: Beat | null; names: LaneNames }) {
  return (
    <section className={`caption${beat ? ` tone-${beat.tone}` : ''}`} aria-label="This step" aria-live="polite" tabIndex={0}>
      {beat ? (
        <>
          <div className="caption-head">
            <h2 className="caption-title">{beat.title}</h2>
            <p className="caption-where">
              {whoOf(beat, names)} · {phaseTitles[beat.phase]}
            </p>
          </div>
          {beat.note && <p className="caption-note">{beat.note}</p>}
          <p className="caption-explain">
            {beat.property && <strong className={`property property-${beat.property}`}>{propertyWords[beat.property]}</strong>} {beat.explain}
          </p>
        </>
      ) : (
        <p className="caption-note">Press Space to begin. The keys are listed under “?”.</p>
      )}
    </section>
  );
}
