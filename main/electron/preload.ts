/**
 * The preload: `window.lockstep`, one named method per contract call plus the event
 * subscription — no generic `invoke(channel)`, so the page can reach exactly the calls the
 * contract lists. Sandboxed preloads cannot load modules: this file is bundled into one
 * CommonJS file whose only `require` is `electron`. It imports nothing but `electron` and shared/.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import type { LockstepEvent } from '../../shared/events';
import { channelOf, EVENTS_CHANNEL, type ArgOf, type ChannelName, type LockstepApi, type ResultOf } from '../../shared/ipc-contract';
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

const api = {
  getIdentity: call('getIdentity'),
  createIdentity: call('createIdentity'),
  getNetwork: call('getNetwork'),
  listContacts: call('listContacts'),
  addContact: call('addContact'),
  addContactFromInvite: call('addContactFromInvite'),
  connectContact: call('connectContact'),
  markRead: call('markRead'),
  listRequests: call('listRequests'),
  decideRequest: call('decideRequest'),
  listMessages: call('listMessages'),
  sendMessage: call('sendMessage'),
  getEventBacklog: call('getEventBacklog'),
  safetyNumber: call('safetyNumber'),
  copyText: call('copyText'),
  openExternal: call('openExternal'),
  onEvents,
} satisfies LockstepApi;

contextBridge.exposeInMainWorld('lockstep', api);
