import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';

import type { LockstepApi } from '../../shared/ipc-contract';
import type { EngineState, EngineStore } from './engine-store';

interface Engine {
  api: LockstepApi;
  store: EngineStore;
}

const EngineContext = createContext<Engine | null>(null);

export function EngineProvider({ api, store, children }: Engine & { children: ReactNode }) {
  const engine = useMemo(() => ({ api, store }), [api, store]);
  return <EngineContext.Provider value={engine}>{children}</EngineContext.Provider>;
}

function useEngine(): Engine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('EngineProvider is missing above this component.');
  return engine;
}

/** The `window.lockstep` API, for user-initiated calls. */
export function useApi(): LockstepApi {
  return useEngine().api;
}

export function useStore(): EngineStore {
  return useEngine().store;
}

/** Subscribe to one slice of the engine state; the selector must return a stored value (not a new object). */
export function useEngineState<T>(select: (state: EngineState) => T): T {
  const { store } = useEngine();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
