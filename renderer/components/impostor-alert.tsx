import { useEngineState, useStore } from '../state/engine-context';
import { pinGroups } from '../state/format';
import { humanFingerprint } from '../state/human-fingerprint';
import { ReadableGroups } from './readable-groups';
import { Modal } from './modal';

function KeyLine({ label, pin, fingerprint }: { label: string; pin: string | null; fingerprint: string | null }) {
  return (
    <div className="key-line">
      <h3>{label}</h3>
      {fingerprint && <ReadableGroups value={fingerprint} size="large" className="fingerprint" />}
      {pin ? <ReadableGroups value={pin} groups={pinGroups(pin)} className="pin" /> : <p>(not reported)</p>}
    </div>
  );
}

/**
 * A refused impostor: the connection offered a key other than the pinned one. A blocking red
 * card that only an explicit button dismisses (not Escape): a changed key is never a click-through.
 */
export function ImpostorAlert() {
  const store = useStore();
  const alert = useEngineState((s) => s.alerts.find((a) => !a.dismissed) ?? null);
  const contacts = useEngineState((s) => s.contacts);
  if (!alert) return null;

  const contact = contacts.find((c) => c.id === alert.contactId) ?? contacts.find((c) => c.pin === alert.expected) ?? null;
  const name = alert.contactName ?? contact?.name ?? 'the contact you meant';
  const expected = alert.expected ?? contact?.pin ?? null;
  const expectedFingerprint = expected ? humanFingerprint(expected) : null;
  const presentedFingerprint = alert.presented ? humanFingerprint(alert.presented) : null;

  return (
    <Modal title={`This is not ${name}`} role="alertdialog" tone="danger" describedBy="impostor-summary" className="impostor">
      <p id="impostor-summary" className="impostor-summary">
        This is not {name}. The other side proved it holds a key, but not the key you pinned for {name}. Lockstep refused
        the connection before anything was exchanged. Nothing was sent.
      </p>
      <KeyLine label="Expected key" pin={expected} fingerprint={expectedFingerprint} />
      <KeyLine label="Presented key" pin={alert.presented} fingerprint={presentedFingerprint} />
      {alert.reason && <p className="muted">Engine: {alert.reason}</p>}
      <p>
        If {name} really has a new key, they must tell you in person and you add them again. Otherwise someone is
        trying to sit between you.
      </p>
      <div className="actions">
        <button type="button" className="danger" data-autofocus onClick={() => store.dismissAlert(alert.key)}>
          I understand, close this warning
        </button>
      </div>
    </Modal>
  );
}
