import type { LockstepEvent } from '../../../shared/events';
import type { ContactView } from '../../../shared/views';
import { DrillsPanel } from './drills-panel';
import { EveView } from './eve-view';
import { ExportCapture } from './export-capture';
import { KeysView } from './keys-view';
import { RecordView } from './record-view';
import './wire.css';

interface WirePanelProps {
  contact: ContactView;
  events: readonly LockstepEvent[];
  /** The connection the panel draws. */
  conn: string | null;
  /** Every connection of this contact in the kept events. */
  conns: readonly string[];
  /** The chat message whose record to show ("On the wire" on a bubble). */
  messageId: string | null;
}

/** Below the sequence diagram: the record view, the keys, Eve's view, the drills and the export. */
export function WirePanel({ contact, events, conn, conns, messageId }: WirePanelProps) {
  return (
    <div className="wire-panel">
      {messageId && <RecordView events={events} messageId={messageId} />}
      <DrillsPanel contact={contact} events={events} conns={conns} />
      <EveView events={events} />
      <KeysView events={events} conn={conn} />
      <ExportCapture conn={contact.connId ?? conn} />
    </div>
  );
}
