import { useState, type FormEvent } from 'react';

import type { ContactView, Result } from '../../shared/views';
import { useApi, useStore } from '../state/engine-context';
import { settle } from '../state/result';
import { Modal } from './modal';
import { ErrorLine } from './error-line';

interface AddContactDialogProps {
  onClose(): void;
  onAdded(contact: ContactView): void;
  /** A clicked `lockstep://` link, shown for the person to check before saving. */
  initialInvite?: string;
}

type Method = 'invite' | 'address';

/** Add a contact from an invite (`lockstep://HOST:PORT?pin=…&name=…`) or from an address and a pin. */
export function AddContactDialog({ onClose, onAdded, initialInvite }: AddContactDialogProps) {
  const api = useApi();
  const store = useStore();
  const [method, setMethod] = useState<Method>('invite');
  const [invite, setInvite] = useState(initialInvite ?? '');
  const [address, setAddress] = useState('');
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
    setBusy(true);
    setError(null);
    let result: Result<ContactView>;
    if (method === 'invite') result = await settle(api.addContactFromInvite({ invite: invite.trim() }));
    else {
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
            <input type="radio" name="method" checked={method === 'invite'} onChange={() => setMethod('invite')} />
            An invite
          </label>
          <label>
            <input type="radio" name="method" checked={method === 'address'} onChange={() => setMethod('address')} />
            An address and a pin
          </label>
        </fieldset>

        {method === 'invite' ? (
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
              <input id="name-input" value={name} maxLength={64} onChange={(event) => setName(event.target.value)} />
            </div>
          </>
        )}

        <ErrorLine error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save contact'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
