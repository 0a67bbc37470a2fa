import { useId, useState } from 'react';

import type { KeyChangeView } from '../../../shared/views';
import { useEngineState, useStore } from '../../state/engine-context';
import { formatDateTime } from '../../state/format';
import { Modal } from '../modal';
import { ReadableGroups } from '../readable-groups';
import { KeyChangeCompare } from './key-change-compare';
import type { PairingAim } from './pairing-dialog';

interface KeyChangeCardsProps {
  /**
   * Open the pairing dialog for this change ("I have a code" at this address, or empty when none is
   * known): the change's id goes with the pairing, so a success re-pins this contact and no other.
   */
  onPairAgain(address: string | null, aim: PairingAim): void;
  /** Hidden (not resolved) while another dialog, e.g. the pairing one, is open over it. */
  hidden?: boolean;
}

/** Changes put off with "Decide later", until the list of changes is read again (one came or went). */
interface Later {
  of: readonly KeyChangeView[];
  ids: readonly string[];
}

/** Every unresolved key change, one blocking card at a time (oldest first), from the store. */
export function KeyChangeCards({ onPairAgain, hidden = false }: KeyChangeCardsProps) {
  const store = useStore();
  const changes = useEngineState((s) => s.keyChanges);
  const [later, setLater] = useState<Later>({ of: changes, ids: [] });
  const putOff = later.of === changes ? later.ids : [];
  const open = changes.filter((c) => !putOff.includes(c.id));
  const first = open[0];
  if (!first || hidden) return null;
  return (
    <KeyChangeCard
      key={first.id}
      change={first}
      remaining={open.length - 1}
      onResolved={() => store.forgetKeyChange(first.id)}
      onPairAgain={onPairAgain}
      onLater={() => setLater({ of: changes, ids: [...putOff, first.id] })}
    />
  );
}

interface KeyChangeCardProps {
  change: KeyChangeView;
  remaining: number;
  onResolved(): void;
  onPairAgain(address: string | null, aim: PairingAim): void;
  /** Put the decision off: the engine keeps refusing the new key meanwhile. */
  onLater(): void;
}

/**
 * "NAME's key changed": the old and new key, when the old one was seen, from where — and only the
 * safe ways forward (compare the whole safety number, or pair again with a code from this card).
 * No one-click accept.
 */
export function KeyChangeCard({ change, remaining, onResolved, onPairAgain, onLater }: KeyChangeCardProps) {
  const store = useStore();
  const contact = useEngineState((s) => s.contacts.find((c) => c.id === change.contactId));
  const name = change.contactName;
  const explainId = useId();
  const [comparing, setComparing] = useState(false);

  // The contact's dialable address; a listener-side change only knows the knock's source port.
  const address = contact?.address ?? (change.side === 'dialer' ? change.remoteAddress : null);

  return (
    <Modal title={`${name}’s key changed`} role="alertdialog" tone="danger" describedBy={explainId} className="key-change">
      <p id={explainId}>
        Someone presenting a different key tried to connect as {name}. Nothing was sent or accepted. It may be {name} with a
        new device or a reinstalled app — or someone pretending to be {name}. Check with {name} before going on.
      </p>
      <div className="key-change-keys">
        <section aria-label="Old key">
          <h3>Old key (pinned)</h3>
          <ReadableGroups value={change.oldFingerprint} size="large" className="fingerprint" />
          <p className="muted">
            First seen {change.oldFirstSeen ? formatDateTime(change.oldFirstSeen) : 'never on a working connection'}
            {change.oldLastSeen ? `, last seen ${formatDateTime(change.oldLastSeen)}` : ''}
          </p>
        </section>
        <section aria-label="New key">
          <h3>New key (presented)</h3>
          <ReadableGroups value={change.newFingerprint} size="large" className="fingerprint" />
          <p className="muted">
            Presented {formatDateTime(change.detectedAt)}
            {change.remoteAddress ? <> from <span className="mono">{change.remoteAddress}</span></> : null}
          </p>
        </section>
      </div>

      <h3>Safe ways forward</h3>
      {comparing ? (
        <KeyChangeCompare
          change={change}
          onBack={() => setComparing(false)}
          onVerified={(verified) => {
            store.upsertContact(verified);
            onResolved();
          }}
        />
      ) : (
        <div className="actions key-change-ways">
          <button type="button" className="primary" onClick={() => setComparing(true)}>
            Compare safety numbers
          </button>
          <button type="button" onClick={() => onPairAgain(address, { keyChangeId: change.id, contactName: name })}>
            Pair again with a code
          </button>
        </div>
      )}
      <p className="muted">
        Until you do one of these, connections presenting the new key stay refused.{' '}
        <button type="button" className="link-button" onClick={onLater}>
          Decide later
        </button>
      </p>
      {remaining > 0 && <p className="muted">{remaining} more key change{remaining === 1 ? '' : 's'} after this one.</p>}
    </Modal>
  );
}
