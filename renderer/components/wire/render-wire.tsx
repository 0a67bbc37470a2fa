/** Test helper: one component over a started store and the fake engine, without the whole app. */
import { act, render } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import type { ReactNode } from 'react';

import { EngineProvider } from '../../state/engine-context';
import { EngineStore } from '../../state/engine-store';
import type { FakeApi } from '../../test/fake-api';

export async function renderWith(api: FakeApi, ui: ReactNode) {
  const store = new EngineStore(api.asApi());
  const started = store.start();
  const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
  const view = render(
    <EngineProvider api={api.asApi()} store={store}>
      {ui}
    </EngineProvider>,
  );
  await act(() => started);
  return { store, user, ...view };
}
