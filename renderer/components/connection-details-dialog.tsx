import type { ConnectionFacts } from '../state/connection-facts';
import { pinLabel } from '../state/connection-facts';
import { secureDetails, trustDetails } from '../state/step-details';
import { DetailList } from './detail-list';
import { Modal } from './modal';

interface ConnectionDetailsDialogProps {
  facts: ConnectionFacts;
  onClose(): void;
}

/** Everything the handshake settled for this connection: protocol, cipher, group, certificates, pins, timing. */
export function ConnectionDetailsDialog({ facts, onClose }: ConnectionDetailsDialogProps) {
  return (
    <Modal title="Connection details" onEscape={onClose} className="details-dialog">
      <p>
        Pin check: <strong>{pinLabel(facts)}</strong>
      </p>
      {facts.secure && <DetailList rows={secureDetails(facts.secure)} />}
      {facts.trust && (
        <>
          <h3>Pin check</h3>
          <DetailList rows={trustDetails(facts.trust)} />
        </>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
