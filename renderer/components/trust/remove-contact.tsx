import { useId, useState } from 'react';

import type { ContactView } from '../../../shared/views';
import { useApi } from '../../state/engine-context';
import { settle } from '../../state/result';
import { Modal } from '../modal';

/**
 * In the chat header: remove the contact, after the person has read what that means. Removing is
 * also how a damaged contact (an edit Lockstep did not make) is got rid of.
 */
export function RemoveContact({ contact }: { contact: ContactView }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setConfirming(true)}>
        Remove contact…
      </button>
      {confirming && <ConfirmRemoval contact={contact} onClose={() => setConfirming(false)} />}
    </>
  );
}

function ConfirmRemoval({ contact, onClose }: { contact: ContactView; onClose: () => void }) {
  const api = useApi();
  const explainId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = contact.name || 'this contact';

  const remove = async () => {
    setBusy(true);
    setError(null);
    const result = await settle(api.removeContact({ contactId: contact.id }));
    setBusy(false);
    // On success the contact leaves the list (the engine says so) and this chat closes with it.
    if (!result.ok) setError(`${result.error.message} (${result.error.code})`);
    else onClose();
  };

  return (
    <Modal title={`Remove ${name}?`} tone="danger" onEscape={busy ? undefined : onClose} describedBy={explainId} className="remove-contact">
      <div id={explainId}>
        <p>
          {contact.trustProblem
            ? `This contact's stored key failed its integrity check, so it was never trusted. Removing it deletes the damaged entry.`
            : `${name}'s key will no longer be trusted: if it connects again, you will be asked about it as about any stranger.`}
        </p>
        <p>The whole conversation with {name} is deleted from this computer, with any message still waiting to be sent. This cannot be undone.</p>
      </div>
      {error && (
        <p className="error" role="alert">
          Could not remove: {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
          {busy ? 'Removing…' : `Remove ${name}`}
        </button>
        <button type="button" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
