import { useDeferredValue, useMemo, useState } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import type { ContactView } from '../../../shared/views';
import { useEngineState } from '../../state/engine-context';
import { useZoom } from '../../state/zoom';
import { readSessionFile } from '../../state/replay-session';
import { openingCursor } from '../../state/stage-cursor';
import { scoreboard } from '../../state/stage-scoreboard';
import { buildStory, type Story } from '../../state/stage-story';
import { useDrills } from '../wire/use-drills';
import { StageCaption } from './stage-caption';
import { StageControls } from './stage-controls';
import { StageDrawer, type DrawerTarget } from './stage-drawer';
import { StageHeader } from './stage-header';
import { StageLanes } from './stage-lanes';
import { StageScoreboard } from './stage-scoreboard';
import { useStageCursor } from './use-stage-cursor';
import { useStageKeys, type StageCommand } from './use-stage-keys';
import '../../styles/stage.css';
import '../../styles/stage-lanes.css';
import '../../styles/stage-drawer.css';

/** The contact the drills act on: the newest scene's, else one that is connected. */
function targetOf(story: Story, contacts: readonly ContactView[]): ContactView | null {
  for (let i = story.scenes.length - 1; i >= 0; i--) {
    const found = contacts.find((c) => c.id === story.scenes[i]!.contactId);
    if (found) return found;
  }
  return contacts.find((c) => c.state === 'ready') ?? null;
}

/**
 * The stage: the connection as the centrepiece of a full window, for a room. Three lanes (this
 * side, the wire, the other side; Eve in the middle during a drill), the step on screen in words,
 * the scoreboard of the three properties, a drawer with any step byte by byte, and the keyboard.
 * Drawn from the engine's events alone — live, or from a saved session.
 */
export function StageView({ onExit }: { onExit?: () => void }) {
  const liveEvents = useDeferredValue(useEngineState((s) => s.events));
  const identityName = useEngineState((s) => s.identity?.name ?? null);
  const contacts = useEngineState((s) => s.contacts);
  const requests = useEngineState((s) => s.requests.length);
  const [loaded, setLoaded] = useState<{ name: string; events: LockstepEvent[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<DrawerTarget | null>(null);
  const [composing, setComposing] = useState(false);
  useZoom(); // Ctrl+= / Ctrl+- / Ctrl+0 on the stage too: the zoom raises the minimum type size

  const events = loaded?.events ?? liveEvents;
  const selfName = loaded ? 'This side' : (identityName ?? 'This side');
  const story = useMemo(() => buildStory(events, { selfName }), [events, selfName]);
  const { cursor, index, waiting, go, goTo, setMode, restart } = useStageCursor(story);
  const board = useMemo(() => scoreboard(story, index), [story, index]);
  const target = loaded ? null : targetOf(story, contacts);
  const drills = useDrills(target);

  const current = index >= 0 ? story.beats[index]! : null;
  const scene = current ? story.scenes[current.scene]! : (story.scenes[story.scenes.length - 1] ?? null);
  const sceneBeats = current && scene ? story.beats.slice(scene.first, index + 1) : [];
  const names = { self: scene?.selfName ?? selfName, peer: scene?.peerName ?? 'The other side', eve: (scene?.eveConns.length ?? 0) > 0 };
  const opened = drawer?.kind === 'beat' ? (story.beats[story.positions.get(drawer.key) ?? -1] ?? null) : null;

  const load = async (file: File) => {
    const parsed = await readSessionFile(file);
    if (!parsed.ok) return setLoadError(parsed.error);
    setLoadError(null);
    setDrawer(null);
    const next = buildStory(parsed.session.events, { selfName: 'This side' });
    setLoaded({ name: file.name, events: parsed.session.events });
    restart({ mode: 'step', at: next.beats[0]?.key ?? null });
  };
  const backToLive = () => {
    setLoaded(null);
    setDrawer(null);
    restart(openingCursor(buildStory(liveEvents, { selfName: identityName ?? 'This side' })));
  };

  const run = (command: StageCommand) => {
    switch (command.kind) {
      case 'move':
        return go(command.move);
      case 'live':
        return setMode(cursor.mode === 'live' ? 'step' : 'live');
      case 'open':
        return current && setDrawer({ kind: 'beat', key: current.key });
      case 'close':
        return drawer ? setDrawer(null) : setComposing(false);
      case 'leave-field':
        return setComposing(false);
      case 'help':
        return setDrawer(drawer?.kind === 'help' ? null : { kind: 'help' });
      case 'eve':
        return void drills.startEve(command.mode);
      case 'stop-eve':
        return void drills.stopEve();
      case 'flip':
        return void drills.flipNext();
      case 'downgrade':
        return void drills.tryDowngrade();
      case 'classical':
        return void drills.compareClassical();
      case 'message':
        if (!target) return;
        setComposing(true);
        // The field exists after this render.
        return void requestAnimationFrame(() => document.getElementById('message-input')?.focus());
    }
  };
  useStageKeys(run);

  return (
    <main className={`stage${drawer ? ' with-drawer' : ''}`} aria-label="Stage">
      <StageHeader
        scene={scene}
        sceneCount={story.scenes.length}
        index={index}
        total={story.beats.length}
        waiting={waiting}
        mode={cursor.mode}
        loadedName={loaded?.name ?? null}
        requests={requests}
        onLoad={(file) => void load(file)}
        onLive={backToLive}
        onExit={onExit}
      />
      {loadError && (
        <p className="stage-error" role="alert">
          {loadError}
        </p>
      )}
      <StageScoreboard
        board={board}
        onShow={(beat) => {
          goTo(beat);
          setDrawer({ kind: 'beat', key: story.beats[beat]!.key });
        }}
      />
      <StageLanes scene={current ? scene : null} beats={sceneBeats} firstIndex={scene?.first ?? 0} currentKey={current?.key ?? null} openKey={drawer?.kind === 'beat' ? drawer.key : null} onOpen={(key) => setDrawer({ kind: 'beat', key })} />
      {!drawer && <StageCaption beat={current} names={names} />}
      {drawer && <StageDrawer target={drawer} beat={opened} events={events} onOpen={setDrawer} onClose={() => setDrawer(null)} />}
      <StageControls mode={cursor.mode} atStart={index <= 0} atEnd={waiting <= 0} target={target} drills={drills} composing={composing} run={run} />
    </main>
  );
}
