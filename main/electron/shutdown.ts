/**
 * Close the engine before the app quits: it says `bye` to peers and checkpoints the database.
 * Quitting is held until that is done, but never longer than a few seconds — a hung peer must
 * not keep the app from quitting.
 */
export interface QuitSource {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export const CLOSE_TIMEOUT_MS = 3_000;

export function closeEngineOnQuit(app: QuitSource, close: () => Promise<void>, timeoutMs = CLOSE_TIMEOUT_MS): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void withTimeout(close(), timeoutMs)
      .catch((error: unknown) => console.error('lockstep: the engine did not close cleanly:', error))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still closing after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
