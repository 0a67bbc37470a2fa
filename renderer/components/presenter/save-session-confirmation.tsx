import { useEffect, useRef } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import { sessionContents } from '../../state/replay-session';

interface SaveSessionConfirmationProps {
  events: readonly LockstepEvent[];
  onSave(): void;
  onCancel(): void;
}

/**
 * Before a session is saved: what the file will hold, in plain words. A saved session is not
 * encrypted — it carries the decrypted messages and, in demo mode, the TLS secrets — so whoever
 * gets the file reads them. Cancel has the focus: saving is the choice that needs a decision.
 */
export function SaveSessionConfirmation({ events, onSave, onCancel }: SaveSessionConfirmationProps) {
  const { plaintextRecords, secrets } = sessionContents(events);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="loud-warning save-session-confirmation" role="alertdialog" aria-labelledby="save-session-title" aria-describedby="save-session-contents">
      <p id="save-session-title">
        <strong>The session file is not encrypted.</strong> Anyone who gets it can read everything in it:
      </p>
      <ul id="save-session-contents">
        {plaintextRecords > 0 && <li>the decrypted text of {plaintextRecords === 1 ? 'one record' : `${plaintextRecords} records`}: the messages, in plaintext</li>}
        {secrets > 0 && <li>{secrets === 1 ? 'one TLS secret' : `${secrets} TLS secrets`} (demo mode): with them anyone can decrypt a capture of these connections</li>}
        <li>the names, keys (pins) and addresses of the people in it, and when they talked</li>
      </ul>
      <p>Save it only where you would keep the messages themselves.</p>
      <div className="actions">
        <button type="button" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={onSave}>
          Save anyway
        </button>
      </div>
    </div>
  );
}
