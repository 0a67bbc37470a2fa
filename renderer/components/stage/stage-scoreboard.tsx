import { PROPERTIES, type Scoreboard } from '../../state/stage-scoreboard';

const names = { encryption: 'Encryption', integrity: 'Integrity', authentication: 'Authentication' } as const;
/** What lights each one, said where it waits (the title says it in full). */
const waitingFor = {
  encryption: 'a record opened only with the keys',
  integrity: 'a tampered record rejected',
  authentication: 'the pin checked',
} as const;

/** The three properties, each lit by the step that proved it; a lit one takes you to that step. */
export function StageScoreboard({ board, onShow }: { board: Scoreboard; onShow(beat: number): void }) {
  return (
    <section className="scoreboard" aria-label="Scoreboard">
      <ul>
        {PROPERTIES.map((property) => {
          const proof = board[property];
          return (
            <li key={property} className={proof ? 'score score-lit' : 'score score-dark'}>
              {proof ? (
                <button type="button" title={proof.words} onClick={() => onShow(proof.beat)}>
                  <span className="score-mark" aria-hidden="true">
                    ✓
                  </span>{' '}
                  <span className="score-name">{names[property]}</span> <span className="score-where">shown at step {proof.beat + 1}</span>
                </button>
              ) : (
                <p title={`Lit by ${waitingFor[property]}`}>
                  <span className="score-mark" aria-hidden="true">
                    ○
                  </span>{' '}
                  <span className="score-name">{names[property]}</span> <span className="score-where">not shown yet</span>
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
