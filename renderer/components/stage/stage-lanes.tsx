import { useEffect, useRef } from 'react';

import type { StoryScene } from '../../state/stage-story';
import type { Beat } from '../../state/stage-beats';
import { StageBeat, type LaneNames } from './stage-beat';
import { useReducedMotion } from './use-reduced-motion';

/** At most this many beats of a scene are drawn (the newest up to the cursor): a room reads a handful. */
export const DRAWN_BEATS = 60;

interface StageLanesProps {
  scene: StoryScene | null;
  /** The scene's beats up to and including the one on screen. */
  beats: readonly Beat[];
  /** Story index of `beats[0]`. */
  firstIndex: number;
  currentKey: string | null;
  openKey: string | null;
  onOpen(key: string): void;
}

/**
 * The lanes: this side on the left, the other side on the right, the wire between — and, when a
 * drill put her there, Eve in the middle of the wire. Beats after the one on screen are not drawn:
 * the presenter reveals them one at a time.
 */
export function StageLanes({ scene, beats, firstIndex, currentKey, openKey, onOpen }: StageLanesProps) {
  const current = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const reduced = useReducedMotion();
  useEffect(() => {
    current.current?.scrollIntoView?.({ block: 'nearest', behavior: reduced ? 'auto' : 'smooth' });
  }, [currentKey, reduced]);
  // A new window size (the projector's) lays the beats out again: keep the one on screen in view.
  useEffect(() => {
    if (!list.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => current.current?.scrollIntoView?.({ block: 'nearest' }));
    observer.observe(list.current);
    return () => observer.disconnect();
  }, [scene?.key]);

  const eve = (scene?.eveConns.length ?? 0) > 0;
  const names: LaneNames = { self: scene?.selfName ?? 'This side', peer: scene?.peerName ?? 'The other side', eve };
  const hidden = beats.length > DRAWN_BEATS ? beats.length - DRAWN_BEATS : 0;
  const drawn = hidden > 0 ? beats.slice(hidden) : beats;

  return (
    <section className={`lanes${eve ? ' with-eve' : ''}`} aria-label="Lanes">
      <div className="lane-heads">
        <p className="lane-head head-self">
          {names.self}
          {names.self.toLowerCase() !== 'this side' && <span className="lane-role"> this side</span>}
        </p>
        {eve ? (
          <>
            <p className="lane-head head-wire">the wire</p>
            <p className="lane-head head-eve">
              Eve <span className="lane-role">in the middle</span>
            </p>
            <p className="lane-head head-wire">the wire</p>
          </>
        ) : (
          <p className="lane-head head-wire head-wire-wide">the wire</p>
        )}
        <p className="lane-head head-peer">
          {names.peer} <span className="lane-role">the other side</span>
        </p>
      </div>
      {scene === null || beats.length === 0 ? (
        <p className="lanes-empty">Nothing on the wire yet. Connect to a contact (or load a saved session), then press Space for the first step.</p>
      ) : (
        <ol ref={list} className="beats">
          {hidden > 0 && <li className="beats-hidden">{hidden} earlier steps of this connection (Home: the very first step)</li>}
          {drawn.map((beat, i) => (
            <StageBeat
              key={beat.key}
              ref={beat.key === currentKey ? current : undefined}
              beat={beat}
              number={firstIndex + hidden + i + 1}
              current={beat.key === currentKey}
              open={beat.key === openKey}
              names={names}
              onOpen={onOpen}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
