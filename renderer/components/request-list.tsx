import { useEngineState } from '../state/engine-context';
import type { Selection } from './selection';

interface RequestListProps {
  selection: Selection;
  onSelect(selection: Selection): void;
}

/** The newest summary of newcomers a cap turned away (the engine sends one line, not a card each). */
function useRefusals(): string | null {
  const events = useEngineState((s) => s.events);
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i]!;
    if (event.kind === 'trust.throttled') return event.summary;
  }
  return null;
}

/**
 * Peers who knocked and wait for a decision. Only their claimed name: nothing they sent is shown.
 * Those refused because too many were waiting are one line here, never a card each.
 */
export function RequestList({ selection, onSelect }: RequestListProps) {
  const requests = useEngineState((s) => s.requests);
  const refusals = useRefusals();
  if (requests.length === 0 && !refusals) return null;
  return (
    <section aria-labelledby="requests-heading" className="requests">
      <h2 id="requests-heading">Requests ({requests.length})</h2>
      {refusals && (
        <p className="muted refusal-summary" role="status">
          {refusals}
        </p>
      )}
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
