import { useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import { useEngineState } from '../../state/engine-context';
import { readSessionFile, replayConnections, replaySteps, sessionFileName, sessionOf } from '../../state/replay-session';
import { SaveSessionConfirmation } from './save-session-confirmation';
import { phaseTitles } from '../../state/sequence-steps';
import { Modal } from '../modal';
import { downloadBlob } from '../wire/download';
import { DrillsPanel } from '../wire/drills-panel';
import '../wire/wire.css';

export const AUTOPLAY_MS = 2500;

const propertyWords = { encryption: 'encryption', integrity: 'integrity', authentication: 'authentication' } as const;

/**
 * Presenter mode: large type, one step of one connection at a time with its plain-language
 * explanation, Back / Forward / Autoplay (←, →, space), the drills one click away, and recorded
 * sessions saved and loaded so a talk can be replayed without a second machine.
 */
export function PresenterMode({ onExit }: { onExit: () => void }) {
  const liveEvents = useEngineState((s) => s.events);
  const contacts = useEngineState((s) => s.contacts);
  const selfName = useEngineState((s) => s.identity?.name ?? null);
  const [loaded, setLoaded] = useState<{ name: string; events: LockstepEvent[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [confirmingSave, setConfirmingSave] = useState(false);
  const connSelectId = useId();
  const fileInput = useRef<HTMLInputElement>(null);

  // Live events only append steps after the current one, so the replay never moves under the presenter.
  const events = loaded?.events ?? liveEvents;
  const conns = useMemo(() => replayConnections(events), [events]);
  const conn = picked && conns.some((c) => c.conn === picked) ? picked : (conns[conns.length - 1]?.conn ?? null);
  const steps = useMemo(() => replaySteps(events, conn), [events, conn]);
  const at = Math.min(index, Math.max(0, steps.length - 1));
  const step = steps[at] ?? null;

  const ready = events.find((e) => e.conn === conn && e.kind === 'conn.ready');
  const peerName = ready?.kind === 'conn.ready' ? ready.detail.peerName : 'Peer';
  const contactId = ready?.kind === 'conn.ready' ? ready.detail.contactId : null;
  const contact = !loaded ? contacts.find((c) => c.id === contactId) : undefined;
  const me = loaded ? 'This side' : (selfName ?? 'This side');

  const forward = useCallback(() => setIndex((i) => Math.min(i + 1, Math.max(0, steps.length - 1))), [steps.length]);
  const back = useCallback(() => setIndex((i) => Math.max(0, Math.min(i, steps.length - 1) - 1)), [steps.length]);

  // Autoplay stops in its timer, never in the effect itself: with the step that reaches the last
  // one, or at once when it was started there.
  useEffect(() => {
    if (!playing) return;
    const last = Math.max(0, steps.length - 1);
    const timer = setTimeout(
      () => {
        if (at < last) forward();
        if (at + 1 >= last) setPlaying(false);
      },
      at >= last ? 0 : AUTOPLAY_MS,
    );
    return () => clearTimeout(timer);
  }, [playing, at, steps.length, forward]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const tag = target?.tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
      if (event.key === 'ArrowRight') {
        event.preventDefault();
        setPlaying(false);
        forward();
      } else if (event.key === 'ArrowLeft') {
        event.preventDefault();
        setPlaying(false);
        back();
      } else if (event.key === ' ' && tag !== 'BUTTON' && tag !== 'A') {
        event.preventDefault();
        setPlaying((p) => !p);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [forward, back]);

  const choose = (next: string | null) => {
    setPicked(next);
    setIndex(0);
    setPlaying(false);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const parsed = await readSessionFile(file);
    if (!parsed.ok) {
      setLoadError(parsed.error);
      return;
    }
    setLoadError(null);
    setLoaded({ name: file.name, events: parsed.session.events });
    choose(null);
  };

  const save = () => {
    setConfirmingSave(false);
    downloadBlob(new Blob([JSON.stringify(sessionOf(events))], { type: 'application/json' }), sessionFileName());
  };

  const from = step?.dir === 'in' ? peerName : me;
  const to = step?.dir === 'out' ? peerName : step?.dir === 'in' ? me : null;

  return (
    <Modal title="Presenter mode" className="presenter" onEscape={onExit}>
      <div className="presenter-bar">
        <p className="presenter-source">
          {loaded ? `Replaying the saved session “${loaded.name}” (no engine needed)` : 'Replaying a recorded connection from this session'}
        </p>
        {conns.length > 0 && (
          <span className="field-inline">
            <label htmlFor={connSelectId}>Recorded connection</label>
            <select id={connSelectId} value={conn ?? ''} onChange={(e) => choose(e.target.value)}>
              {conns.map((c) => (
                <option key={c.conn} value={c.conn}>
                  {`${c.label} (${c.steps} steps)`}
                </option>
              ))}
            </select>
          </span>
        )}
        <button type="button" onClick={() => setConfirmingSave(true)} disabled={events.length === 0 || confirmingSave}>
          Save session
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Load session…
        </button>
        <input ref={fileInput} type="file" accept="application/json,.json" hidden aria-label="Session file" data-testid="session-file" onChange={(e) => void onFile(e)} />
        {loaded && (
          <button type="button" onClick={() => { setLoaded(null); choose(null); }}>
            Back to live events
          </button>
        )}
        <button type="button" onClick={onExit}>
          Exit presenter mode
        </button>
      </div>
      {confirmingSave && <SaveSessionConfirmation events={events} onSave={save} onCancel={() => setConfirmingSave(false)} />}
      {loadError && (
        <p className="error presenter-error" role="alert">
          {loadError}
        </p>
      )}
      {step ? (
        <article className={`presenter-step tone-${step.tone}`} aria-live="polite">
          <p className="presenter-progress">
            Step {at + 1} of {steps.length}
          </p>
          <p className="presenter-phase">{phaseTitles[step.phase]}</p>
          <p className="presenter-arrow">{to ? `${from} → ${to}` : `${me} (on this side)`}</p>
          <h3 className="presenter-title">{step.title}</h3>
          <p className="presenter-note">{step.note}</p>
          <p className="presenter-explain">
            {step.explain}
            {step.property && <strong> — {propertyWords[step.property]}</strong>}
          </p>
        </article>
      ) : (
        <p className="muted presenter-empty">No recorded connection yet: connect to a contact, or load a saved session.</p>
      )}
      <div className="presenter-controls" role="group" aria-label="Replay controls">
        <button type="button" onClick={() => { setPlaying(false); back(); }} disabled={at === 0 || !step}>
          Back
        </button>
        <button type="button" onClick={() => setPlaying((p) => !p)} disabled={!step || (at >= steps.length - 1 && !playing)}>
          {playing ? 'Pause' : 'Autoplay'}
        </button>
        <button type="button" data-autofocus onClick={() => { setPlaying(false); forward(); }} disabled={!step || at >= steps.length - 1}>
          Forward
        </button>
      </div>
      {contact && contact.state === 'ready' && (
        <details className="presenter-drills">
          <summary>Drills with {contact.name}</summary>
          <DrillsPanel contact={contact} events={liveEvents} conns={contact.connId ? [contact.connId] : null} />
        </details>
      )}
    </Modal>
  );
}
