import { useState } from 'react';

import { useEngineState } from '../state/engine-context';
import { useZoom } from '../state/zoom';
import { PresenterMode } from './presenter/presenter-mode';
import { ZoomControls } from './zoom-controls';

/** The title bar: the app, who is signed in, a background error if any, the stage, presenter mode and the text size. */
export function AppHeader({ onStage }: { onStage?: () => void }) {
  const name = useEngineState((s) => s.identity?.name ?? null);
  const lastError = useEngineState((s) => s.lastError);
  const zoom = useZoom();
  const [presenting, setPresenting] = useState(false);
  return (
    <header className="app-header">
      <h1>
        Lockstep{name && <span className="header-name"> · {name}</span>}
      </h1>
      <p className="header-status" role="status">
        {lastError ? `Engine: ${lastError}` : ''}
      </p>
      {onStage && (
        <button type="button" onClick={onStage}>
          Stage
        </button>
      )}
      <button type="button" aria-pressed={presenting} onClick={() => setPresenting((p) => !p)}>
        Presenter mode
      </button>
      <ZoomControls zoom={zoom} />
      {presenting && <PresenterMode onExit={() => setPresenting(false)} />}
    </header>
  );
}
