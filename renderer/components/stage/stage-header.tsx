import { useRef, type ChangeEvent } from 'react';

import type { StageMode } from '../../state/stage-cursor';
import type { StoryScene } from '../../state/stage-story';

interface StageHeaderProps {
  scene: StoryScene | null;
  sceneCount: number;
  index: number;
  total: number;
  waiting: number;
  mode: StageMode;
  /** The saved session on the stage, or null for the live stream. */
  loadedName: string | null;
  requests: number;
  onLoad(file: File): void;
  onLive(): void;
  onExit?: () => void;
}

/** What is on the stage (which connection, which step, live or a saved session) and the way out. */
export function StageHeader({ scene, sceneCount, index, total, waiting, mode, loadedName, requests, onLoad, onLive, onExit }: StageHeaderProps) {
  const input = useRef<HTMLInputElement>(null);
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) onLoad(file);
  };
  return (
    <header className="stage-head">
      <h1>
        {scene ? scene.title : 'Lockstep stage'}
        {scene && sceneCount > 1 && <span className="stage-scene-count"> · {scene.index + 1} of {sceneCount}</span>}
      </h1>
      <p className="stage-progress" data-testid="stage-progress">
        {total === 0 ? 'No steps yet' : `Step ${index + 1} of ${total}`}
        {mode === 'live' ? ' · live' : waiting > 0 ? ` · ${waiting} more` : ''}
      </p>
      {loadedName && <p className="stage-source">Saved session “{loadedName}”</p>}
      {requests > 0 && !loadedName && <p className="stage-requests">{requests === 1 ? 'A contact request waits in the chat' : `${requests} contact requests wait in the chat`}</p>}
      <div className="stage-head-actions">
        <button type="button" onClick={() => input.current?.click()}>
          Load session…
        </button>
        <input ref={input} type="file" accept="application/json,.json" hidden aria-label="Session file" data-testid="stage-session-file" onChange={onFile} />
        {loadedName && (
          <button type="button" onClick={onLive}>
            Back to live
          </button>
        )}
        {onExit && (
          <button type="button" onClick={onExit}>
            Chat
          </button>
        )}
      </div>
    </header>
  );
}
