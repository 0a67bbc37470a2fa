import { useEngineState } from '../state/engine-context';
import type { Selection } from './selection';

interface RequestListProps {
  selection: Selection;
  onSelect(selection: Selection): void;
}

/** Peers who knocked and wait for a decision. Only their claimed name: nothing they sent is shown. */
export function RequestList({ selection, onSelect }: RequestListProps) {
  const requests = useEngineState((s) => s.requests);
  if (requests.length === 0) return null;
  return (
    <section aria-labelledby="requests-heading" className="requests">
      <h2 id="requests-heading">Requests ({requests.length})</h2>
      <ul className="contact-list">
        {requests.map((request) => (
          <li key={request.id}>
            <button
              type="button"
              className={`contact-item request-item${request.claimsKnownName ? ' request-suspicious' : ''}`}
              aria-current={selection.kind === 'request' && selection.id === request.id ? 'true' : undefined}
              onClick={() => onSelect({ kind: 'request', id: request.id })}
            >
              <span className="contact-name">Request from {request.claimedName}</span>
              {request.claimsKnownName && <span className="warning-tag">possible impostor</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
