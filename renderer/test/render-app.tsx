import { act, render } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';

import { App } from '../components/app';
import { EngineProvider } from '../state/engine-context';
import { EngineStore } from '../state/engine-store';
import type { FakeApi } from './fake-api';

/** The whole renderer over a fake engine, started the way main.tsx starts it. */
export async function renderApp(api: FakeApi) {
  const store = new EngineStore(api.asApi());
  const started = store.start();
  // The pointer-events check walks computed styles up the tree on every click: slow in jsdom, and
  // these tests load no CSS that could disable pointer events anyway.
  const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
  const view = render(
    <EngineProvider api={api.asApi()} store={store}>
      <App />
    </EngineProvider>,
  );
  await act(() => started);
  return { store, user, ...view };
}
