import { useEffect, useState, type FormEvent } from 'react';

import { MAX_NAME_CHARS } from '../../shared/limits';
import type { ContactView, InvitePreview, Result } from '../../shared/views';
import { useApi, useStore } from '../state/engine-context';
import { settle } from '../state/result';
import { ErrorLine } from './error-line';
import { InviteConfirmation } from './invite-confirmation';
import { Modal } from './modal';

interface AddContactDialogProps {
  onClose(): void;
  onAdded(contact: ContactView): void;
  /** A clicked `lockstep://` link, shown for the person to check before saving. */
  initialInvite?: string;
}

type Method = 'invite' | 'address';

/**
 * Add a contact from an invite (`lockstep://HOST:PORT?pin=…&name=…`) or from an address and a pin.
 * An invite is saved in two steps: the engine parses it and the dialog shows what it says (and
 * what it would change about a known contact); only then does "Save" add it.
 */
export function AddContactDialog({ onClose, onAdded, initialInvite }: AddContactDialogProps) {
  const api = useApi();
  const store = useStore();
  const [method, setMethod] = useState<Method>('invite');
  const [invite, setInvite] = useState(initialInvite ?? '');
  const [address, setAddress] = useState('');
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  // A clicked link is checked at once, so the person sees what it says before anything else.
  const linked = initialInvite?.trim().startsWith('lockstep://') ? initialInvite.trim() : null;
  const [busy, setBusy] = useState(linked !== null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<InvitePreview | null>(null);

  const check = async (text: string) => {
    setBusy(true);
    setError(null);
    const result = await settle(api.previewInvite({ invite: text }));
    setBusy(false);
    if (result.ok) setPreview(result.value);
    else setError(result.error.message);
  };

  useEffect(() => {
    if (!linked) return;
    let live = true;
    void settle(api.previewInvite({ invite: linked })).then((result) => {
      if (!live) return;
      setBusy(false);
      if (result.ok) setPreview(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, linked]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The engine validates too; these checks only spare a round trip for the obvious cases.
    if (method === 'invite' && !invite.trim().startsWith('lockstep://')) {
      setError('Paste an invite: it starts with lockstep://');
      return;
    }
    if (method === 'address' && (!address.trim() || !pin.trim())) {
      setError('Enter both the address (host:port) and the pin.');
      return;
    }
    if (method === 'invite' && !preview) return check(invite.trim());
    setBusy(true);
    setError(null);
    let result: Result<ContactView>;
    if (method === 'invite') {
      result = await settle(api.addContactFromInvite({ invite: invite.trim(), ...(preview!.changes.length > 0 ? { confirmChanges: true } : {}) }));
    } else {
      const arg = { address: address.trim(), pin: pin.trim(), ...(name.trim() ? { name: name.trim() } : {}) };
      result = await settle(api.addContact(arg));
    }
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    store.upsertContact(result.value);
    onAdded(result.value);
  };

  return (
    <Modal title="Add contact" onEscape={onClose} className="add-contact">
      <form onSubmit={submit} noValidate>
        <fieldset className="method">
          <legend>How do you have their details?</legend>
          <label>
            <input type="radio" name="method" checked={method === 'invite'} onChange={() => setMethod('invite')} disabled={preview !== null} />
            An invite
          </label>
          <label>
            <input type="radio" name="method" checked={method === 'address'} onChange={() => setMethod('address')} disabled={preview !== null} />
            An address and a pin
          </label>
        </fieldset>

        {method === 'invite' && preview ? (
          <InviteConfirmation preview={preview} />
        ) : method === 'invite' ? (
          <div className="field">
            <label htmlFor="invite-input">Invite</label>
            <textarea
              id="invite-input"
              data-autofocus
              rows={3}
              placeholder="lockstep://192.0.2.10:7700?pin=…&name=…"
              value={invite}
              onChange={(event) => setInvite(event.target.value)}
            />
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor="address-input">Address (host:port)</label>
              <input id="address-input" data-autofocus value={address} onChange={(event) => setAddress(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="pin-input">Pin</label>
              <input id="pin-input" className="mono" placeholder="sha256/…" value={pin} onChange={(event) => setPin(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="name-input">Name (optional)</label>
              <input id="name-input" value={name} maxLength={MAX_NAME_CHARS} onChange={(event) => setName(event.target.value)} />
            </div>
          </>
        )}

        <ErrorLine error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {preview && (
            <button type="button" onClick={() => setPreview(null)}>
              Edit invite
            </button>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {submitWords(busy, method, preview)}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function submitWords(busy: boolean, method: Method, preview: InvitePreview | null): string {
  if (method === 'invite' && !preview) return busy ? 'Checking…' : 'Check invite';
  if (busy) return 'Saving…';
  return preview && preview.changes.length > 0 ? 'Save the changes' : 'Save contact';
}
