import { useState } from 'react';

import type { ContactView, RequestView } from '../../shared/views';
import { useApi, useStore } from '../state/engine-context';
import { formatDateTime } from '../state/format';
import { settle } from '../state/result';
import { ReadableGroups } from './readable-groups';
import { ErrorLine } from './error-line';

interface RequestCardProps {
  request: RequestView;
  onDecided(contact: ContactView | null): void;
}

/**
 * An unknown peer knocked. Shown: what it claims and what can be checked (its key, the safety
 * number both people read aloud). Nothing it sent is shown before it is trusted.
 */
export function RequestCard({ request, onDecided }: RequestCardProps) {
  const api = useApi();
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const decide = async (decision: 'trust' | 'reject') => {
    setBusy(true);
    setError(null);
    const result = await settle(api.decideRequest({ requestId: request.id, decision }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    if (result.value) store.upsertContact(result.value);
    store.forgetRequest(request.id);
    onDecided(result.value);
  };

  return (
    <section className="request-card" aria-labelledby="request-heading">
      <h2 id="request-heading">Contact request</h2>
      {request.claimsKnownName && (
        <div className="loud-warning" role="alert">
          <strong>Warning: possible impostor.</strong> This peer calls itself “{request.claimedName}”, the name of a
          contact you already have — but with a different key. Trust it only if {request.claimedName} tells you, in
          person or on the phone, that they have a new key and reads you the same safety number.
        </div>
      )}
      <dl className="facts">
        <dt>Claims to be</dt>
        <dd>
          <strong>{request.claimedName}</strong> <span className="muted">(a claim, not a fact)</span>
        </dd>
        <dt>Knocked from</dt>
        <dd className="mono">{request.remoteAddress}</dd>
        <dt>When</dt>
        <dd>{formatDateTime(request.at)}</dd>
        <dt>Their fingerprint</dt>
        <dd>
          <ReadableGroups value={request.fingerprint} className="fingerprint" />
        </dd>
      </dl>

      <h3>Safety number</h3>
      <ReadableGroups value={request.safetyNumber} size="large" className="safety-number" />
      <p>
        Read it aloud together. If both screens show the same number, nobody sits in between: trust. If not, reject.
      </p>

      <ErrorLine error={error} />
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={() => void decide('reject')}>
          Reject
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void decide('trust')}>
          Trust
        </button>
      </div>
    </section>
  );
}
