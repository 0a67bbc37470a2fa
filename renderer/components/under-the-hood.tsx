import { useDeferredValue, useId, useMemo, useState } from 'react';

import type { ContactView, RequestView } from '../../shared/views';
import { connectionsOf } from '../state/connection-facts';
import { useEngineState } from '../state/engine-context';
import { useSequenceRows } from '../state/use-sequence-rows';
import { SequenceDiagram, type WireFocus } from './sequence-diagram';
import { WirePanel } from './wire/wire-panel';

/** Whose connection to draw: a contact's (all its connections kept in the events), or a knocking peer's. */
export type PanelSubject = { kind: 'contact'; contact: ContactView } | { kind: 'request'; request: RequestView } | null;

/**
 * The live panel: the selected contact's real connection as a sequence diagram, drawn only from
 * the engine's events, grouped into the three phases people know.
 */
export function UnderTheHood({ subject, focus = null }: { subject: PanelSubject; focus?: WireFocus | null }) {
  const selfName = useEngineState((s) => s.identity?.name ?? 'This side');
  // Deferred: a 10,000-event burst rebuilds the diagram without holding up typing or clicks.
  const events = useDeferredValue(useEngineState((s) => s.events));
  const epoch = useDeferredValue(useEngineState((s) => s.eventsEpoch));
  const [picked, setPicked] = useState<string | null>(null);
  const [follow, setFollow] = useState(true);
  const selectId = useId();
  const followId = useId();

  const contact = subject?.kind === 'contact' ? subject.contact : null;
  const requestConn = subject?.kind === 'request' ? subject.request.connId : null;
  const conns = useMemo(() => (contact ? connectionsOf(events, contact) : requestConn ? [requestConn] : []), [events, contact, requestConn]);
  const peerName = contact ? contact.name : subject?.kind === 'request' ? `${subject.request.claimedName} (claimed)` : null;
  // A bubble asked for its record: switch to the connection that carried it, stop following.
  const [focusedNonce, setFocusedNonce] = useState<number | null>(null);
  if (focus && focus.nonce !== focusedNonce) {
    setFocusedNonce(focus.nonce);
    const carrier = events.find((e) => (e.kind === 'frame.out' || e.kind === 'frame.in') && e.detail.type === 'msg' && e.detail.id === focus.messageId);
    if (carrier?.conn) setPicked(carrier.conn);
    setFollow(false);
  }

  const latest = conns[conns.length - 1] ?? null;
  const conn = picked && conns.includes(picked) ? picked : latest;
  const rows = useSequenceRows(events, epoch, conn);
  const peer = peerName ?? 'Peer';

  return (
    <section className="panel" aria-labelledby="under-the-hood-heading">
      <h2 id="under-the-hood-heading">Under the hood</h2>
      {!conn ? (
        <p className="muted">No connection yet. Select a contact: its connection is drawn here step by step.</p>
      ) : (
        <>
          <div className="panel-controls">
            {conns.length > 1 && (
              <span className="field-inline">
                <label htmlFor={selectId}>Connection</label>
                <select id={selectId} value={conn} onChange={(event) => setPicked(event.target.value)}>
                  {conns.map((id, i) => (
                    <option key={id} value={id}>
                      {`#${i + 1}${id === latest ? ' (latest)' : ''}`}
                    </option>
                  ))}
                </select>
              </span>
            )}
            <span className="field-inline">
              <input id={followId} type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
              <label htmlFor={followId}>Follow new steps</label>
            </span>
          </div>
          <div className="lifelines" aria-hidden="true">
            <span>{selfName} (this side)</span>
            <span>{peer}</span>
          </div>
          {rows.length === 0 ? (
            <p className="muted">Waiting for the first packet…</p>
          ) : (
            <SequenceDiagram rows={rows} selfName={selfName} peerName={peer} follow={follow} focus={focus} onLookBack={() => setFollow(false)} />
          )}
          {contact && <WirePanel contact={contact} events={events} conn={conn} conns={conns} messageId={focus?.messageId ?? null} />}
        </>
      )}
    </section>
  );
}
