import { useEngineState } from '../state/engine-context';
import { AppHeader } from './app-header';
import { AppShell } from './app-shell';
import { FirstRun } from './first-run';

/** Start-up gates: waiting for the engine, an engine that failed, first run, then the app. */
export function App() {
  const status = useEngineState((s) => s.status);
  const startError = useEngineState((s) => s.startError);
  const hasIdentity = useEngineState((s) => s.identity !== null);

  return (
    <div className="app">
      <AppHeader />
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
