import { useEffect, useState } from 'react';

import { useEngineState } from '../state/engine-context';
import { viewFromLocation, type AppView } from '../state/stage-view-param';
import { AppHeader } from './app-header';
import { AppShell } from './app-shell';
import { FirstRun } from './first-run';
import { StageView } from './stage/stage-view';

/**
 * Start-up gates: waiting for the engine, an engine that failed, first run, then the app — or
 * the stage, full window, when the presenter switches to it (or the window opened on it).
 */
export function App() {
  const status = useEngineState((s) => s.status);
  const startError = useEngineState((s) => s.startError);
  const hasIdentity = useEngineState((s) => s.identity !== null);
  const [view, setView] = useState<AppView>(() => viewFromLocation(window.location));
  // The shell (or a link) may switch the view of a running window by its hash.
  useEffect(() => {
    const onHash = () => setView(viewFromLocation(window.location));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (view === 'stage' && status === 'ready' && hasIdentity) return <StageView onExit={() => setView('app')} />;

  return (
    <div className="app">
      <AppHeader onStage={hasIdentity ? () => setView('stage') : undefined} />
      {status === 'starting' ? (
        <main className="centered">
          <p role="status">Starting the engine…</p>
        </main>
      ) : status === 'failed' ? (
        <main className="centered">
          <h2>Lockstep could not start</h2>
          <p className="error" role="alert">
            {startError}
          </p>
        </main>
      ) : hasIdentity ? (
        <AppShell />
      ) : (
        <FirstRun />
      )}
    </div>
  );
}
