/**
 * The preload: `window.lockstep`, one named method per contract call plus the event
 * subscription — no generic `invoke(channel)`, so the page can reach exactly the calls the
 * contract lists, each bound to its own channel. Sandboxed preloads cannot load modules: this file is bundled into one
 * CommonJS file whose only `require` is `electron`. It imports nothing but `electron` and shared/.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import type { LockstepEvent } from '../../shared/events';
import { channelNames, channelOf, EVENTS_CHANNEL, type ArgOf, type ChannelName, type LockstepApi, type ResultOf } from '../../shared/ipc-contract';
import type { Result } from '../../shared/views';

/** One call of the contract, bound to its own channel. */
function call<K extends ChannelName>(name: K): (arg: ArgOf<K>) => Promise<Result<ResultOf<K>>> {
  const channel = channelOf(name);
  return (arg) => ipcRenderer.invoke(channel, arg) as Promise<Result<ResultOf<K>>>;
}

/** The IPC event (it holds `sender`, an ipcRenderer handle) stays here; the page gets the batch. */
function onEvents(listener: (batch: LockstepEvent[]) => void): () => void {
  const relay = (_event: IpcRendererEvent, batch: LockstepEvent[]) => listener(batch);
  ipcRenderer.on(EVENTS_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(EVENTS_CHANNEL, relay);
  };
}

type Calls = Omit<LockstepApi, 'onEvents'>;

/**
 * One named method per contract entry, made from the contract's own list of names, so a channel
 * added to the contract reaches the page without a second list to keep in step.
 */
function contractCalls(): Calls {
  return Object.fromEntries(channelNames.map((name) => [name, call(name)])) as Calls;
}

const api = { ...contractCalls(), onEvents } satisfies LockstepApi;

contextBridge.exposeInMainWorld('lockstep', api);
