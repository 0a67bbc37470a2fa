import type { LockstepApi } from '../shared/ipc-contract';

declare global {
  interface Window {
    /** Exposed by the preload (or a test harness); absent when the page is opened on its own. */
    lockstep?: LockstepApi;
  }
}

export {};
