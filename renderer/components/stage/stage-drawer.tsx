import { useEffect, useId, useRef } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import type { Beat } from '../../state/stage-beats';
import { DetailList } from '../detail-list';
import { HandshakeComparison } from '../wire/handshake-comparison';
import { KeysView } from '../wire/keys-view';
import { EveDrawer } from './drawer-eve';
import { HelloDrawer } from './drawer-hello';
import { RecordDrawer } from './drawer-record';
import { TrustDrawer } from './drawer-trust';
import { StageKeysHelp } from './stage-keys-help';

export type DrawerTarget = { kind: 'beat'; key: string } | { kind: 'keys'; conn: string } | { kind: 'help' };

interface StageDrawerProps {
  target: DrawerTarget;
  beat: Beat | null;
  events: readonly LockstepEvent[];
  onOpen(target: DrawerTarget): void;
  onClose(): void;
}

function BeatDetail({ beat, events, onKeys }: { beat: Beat; events: readonly LockstepEvent[]; onKeys(conn: string): void }) {
  const s = beat.subject;
  const conn = beat.source.conn ?? '';
  return (
    <>
      {beat.note && <p className="drawer-note">{beat.note}</p>}
      {/* The classical comparison: the two handshakes first, the engine's sentence after. */}
      {beat.source.kind === 'drill.verdict' && beat.source.detail.comparison && <HandshakeComparison hybrid={beat.source.detail.comparison.hybrid} classical={beat.source.detail.comparison.classical} />}
      <p className="drawer-explain">{beat.explain}</p>
      {s.kind === 'record' && <RecordDrawer record={s.record} witness={s.witness} onKeys={() => onKeys(conn)} />}
      {s.kind === 'hello' && <HelloDrawer hello={s.hello} record={s.record} onKeys={() => onKeys(conn)} />}
      {s.kind === 'eve' && <EveDrawer event={s.event} />}
      {s.kind === 'trust' && <TrustDrawer event={s.event} />}
      {s.kind === 'keys' && <KeysView events={events} conn={s.conn} />}
      <details className="drawer-all" open={s.kind === 'plain'}>
        <summary>Every field the engine reported</summary>
        <DetailList rows={beat.details()} />
      </details>
    </>
  );
}

/**
 * The drawer beside the lanes: any beat byte by byte, the key chain, or the keyboard. It takes a
 * share of the width, never covers the lanes, and gets the focus when it opens (Escape closes).
 */
export function StageDrawer({ target, beat, events, onOpen, onClose }: StageDrawerProps) {
  const titleId = useId();
  const box = useRef<HTMLElement>(null);
  const targetKey = target.kind === 'beat' ? target.key : target.kind === 'keys' ? `keys:${target.conn}` : 'help';
  useEffect(() => box.current?.focus(), [targetKey]);
  const title = target.kind === 'help' ? 'Keyboard' : target.kind === 'keys' ? 'Where the keys come from' : (beat?.title ?? 'Step');
  return (
    <aside ref={box} className="drawer" aria-labelledby={titleId} tabIndex={-1}>
      <div className="drawer-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
      <div className="drawer-body" tabIndex={0}>
        {target.kind === 'help' && <StageKeysHelp />}
        {target.kind === 'keys' && <KeysView events={events} conn={target.conn} />}
        {target.kind === 'beat' && (beat ? <BeatDetail beat={beat} events={events} onKeys={(conn) => onOpen({ kind: 'keys', conn })} /> : <p>This step is no longer among the kept events.</p>)}
      </div>
    </aside>
  );
}
