import { useEffect, useState } from 'react';

import type { AtRestView } from '../../shared/views';
import { useApi } from '../state/engine-context';
import { settle } from '../state/result';

/** How the history on this disk is protected, in the engine's words; a weak setting is said plainly. */
export function AtRestCard() {
  const api = useApi();
  const [view, setView] = useState<AtRestView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void settle(api.getAtRest({})).then((result) => {
      if (!live) return;
      if (result.ok) setView(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [api]);

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
