/**
 * Run `task` now, or once more after the current run if one is in flight. Refreshes triggered by
 * a burst of events collapse into at most two fetches, and a slow answer can never overwrite a
 * newer one because runs never overlap.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = null;
    }
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop();
    return running;
  };
}
