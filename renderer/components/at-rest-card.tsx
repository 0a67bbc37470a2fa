import { useEngineState } from '../state/engine-context';

/** How the history on this disk is protected, in the engine's words; a weak setting is said plainly. */
export function AtRestCard() {
  const view = useEngineState((s) => s.atRest);
  const error = useEngineState((s) => s.readErrors.atRest);

  if (error) return <p className="muted">History on disk: {error}</p>;
  if (!view) return null;
  return (
    <>
      <h3>History on this disk</h3>
      <p className={view.strong ? undefined : 'at-rest-weak'}>
        {view.summary}
        {view.backend ? ` (${view.backend})` : ''}
      </p>
      {view.cipher ? <p className="muted">Cipher: {view.cipher}</p> : null}
    </>
  );
}
