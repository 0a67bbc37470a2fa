// First: must run before any module that imports shared/ (see zod-jitless.ts).
import './zod-jitless';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './components/app';
import { EngineProvider } from './state/engine-context';
import { EngineStore } from './state/engine-store';
import './styles/base.css';
import './styles/layout.css';
import './styles/dialogs.css';
import './styles/panel.css';
import './styles/trust.css';

const root = createRoot(document.getElementById('root')!);
const api = window.lockstep;

if (!api) {
  // Opened outside the desktop shell (or the preload failed): say so instead of a blank page.
  root.render(
    <main className="centered">
      <h1>Lockstep</h1>
      <p role="alert">The engine is not connected: open Lockstep from its desktop app (window.lockstep is missing).</p>
    </main>,
  );
} else {
  // The store subscribes before React renders, so no event between start-up and first paint is lost.
  const store = new EngineStore(api);
  void store.start();
  root.render(
    <StrictMode>
      <EngineProvider api={api} store={store}>
        <App />
      </EngineProvider>
    </StrictMode>,
  );
}
