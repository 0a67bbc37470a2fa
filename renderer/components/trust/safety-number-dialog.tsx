import { useId, useState } from 'react';

import type { ContactView } from '../../../shared/views';
import { useApi, useStore } from '../../state/engine-context';
import { settle } from '../../state/result';
import { Modal } from '../modal';
import { ErrorLine } from '../error-line';

interface SafetyNumberDialogProps {
  contact: ContactView;
  onClose(): void;
}

/** 60 digits as 12 groups of five, in three rows of four, for reading aloud row by row. */
export function safetyRows(safetyNumber: string): string[][] {
  const digits = safetyNumber.replace(/\D/g, '');
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 5) groups.push(digits.slice(i, i + 5));
  const rows: string[][] = [];
  for (let i = 0; i < groups.length; i += 4) rows.push(groups.slice(i, i + 4));
  return rows;
}

/** The safety number in three rows of four groups, the same on both screens. */
export function SafetyGrid({ value }: { value: string }) {
  return (
    <div className="safety-grid" translate="no" aria-label="Safety number" role="group">
      {safetyRows(value).map((row, r) => (
        <p key={r} className="safety-row">
          {row.map((group, g) => (
            <span key={g}>
              <span className="group">{group}</span>
              {g < row.length - 1 ? ' ' : null}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}

/**
 * The safety number of this contact's key and ours: both people open this screen and read it to
 * each other. Equal numbers mean both pinned the right keys; then mark the contact verified.
 */
export function SafetyNumberDialog({ contact, onClose }: SafetyNumberDialogProps) {
  const api = useApi();
  const store = useStore();
  const explainId = useId();
  const number = contact.safetyNumber;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const mark = async (verified: boolean) => {
    setBusy(true);
    setError(null);
    const result = await settle(api.markVerified({ contactId: contact.id, verified }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    store.upsertContact(result.value);
  };

  const name = contact.name;
  return (
    <Modal title={`Safety number with ${name}`} onEscape={onClose} describedBy={explainId} className="safety-dialog">
      <p id={explainId}>
        You and {name} each open this screen and read the numbers to each other; if they match, nobody is in between.
        Do it in person or on a call where you recognise {name}’s voice — not by a message through this app.
      </p>
      {number ? <SafetyGrid value={number} /> : <p className="muted">There is no safety number before you have an identity.</p>}
      <p className="muted">It is computed from your key and {name}’s; it changes if either key changes.</p>
      <p role="status">
        {contact.verified ? `${name} is marked as verified.` : `${name} is not verified yet.`}
      </p>
      <ErrorLine error={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        {contact.verified ? (
          <button type="button" className="danger" disabled={busy} onClick={() => void mark(false)}>
            Mark as not verified
          </button>
        ) : (
          <button type="button" className="primary" disabled={busy || !number} onClick={() => void mark(true)}>
            Mark as verified
          </button>
        )}
      </div>
    </Modal>
  );
}
