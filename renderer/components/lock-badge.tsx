import { useMemo, useState } from 'react';

import { connectionFacts, lockLabel } from '../state/connection-facts';
import { useEngineState } from '../state/engine-context';
import { ConnectionDetailsDialog } from './connection-details-dialog';

/**
 * "TLS 1.3 · AES-256-GCM · pinned ✓", built from the connection's own tls.secure and trust.check
 * events (not from what the connection was supposed to be); opens the full details.
 */
export function LockBadge({ conn }: { conn: string | null }) {
  const events = useEngineState((s) => s.events);
  const facts = useMemo(() => connectionFacts(events, conn), [events, conn]);
  const [open, setOpen] = useState(false);
  const label = lockLabel(facts);

  if (!label) {
    return (
      <span className="lock-badge lock-none">Not encrypted yet</span>
    );
  }
  const bad = facts.trust?.verdict === 'mismatch' || facts.trust?.verdict === 'no-certificate';
  return (
    <>
      <button type="button" className={`lock-badge ${bad ? 'lock-bad' : 'lock-good'}`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <span className="lock-icon" aria-hidden="true" />
        {label}
      </button>
      {open && <ConnectionDetailsDialog facts={facts} onClose={() => setOpen(false)} />}
    </>
  );
}
