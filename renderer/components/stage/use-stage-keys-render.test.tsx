import { act, render } from '@testing-library/react';
import { Suspense, startTransition, use, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';

import { useStageKeys, type StageCommand } from './use-stage-keys';

const never = new Promise<never>(() => {});

/** Renders `version`; a version above `shown` suspends after its hook ran, so React drops that render. */
function Stage({ version, ran }: { version: number; ran: Array<{ version: number; command: StageCommand }> }) {
  useStageKeys((command) => ran.push({ version, command }));
  if (version > 1) use(never);
  return <p>version {version}</p>;
}

describe('the stage’s keys and React’s dropped renders', () => {
  it('a key press runs the command of the render on screen, not of one React started and dropped', async () => {
    const ran: Array<{ version: number; command: StageCommand }> = [];
    const host = (version: number): ReactNode => (
      <Suspense fallback={<p>loading</p>}>
        <Stage version={version} ran={ran} />
      </Suspense>
    );
    const view = render(host(1));
    // A background render of newer data that never commits: the screen keeps version 1.
    await act(async () => startTransition(() => view.rerender(host(2))));
    expect(view.container.textContent).toBe('version 1');

    await act(async () => {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    expect(ran).toEqual([{ version: 1, command: { kind: 'move', move: 'next-milestone' } }]);
  });
});
