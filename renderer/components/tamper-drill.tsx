import { useState } from 'react';

import { useApi } from '../state/engine-context';
import { settle } from '../state/result';

/**
 * The one-click tamper drill (demo step 7): the engine flips one bit of the next encrypted record
 * this side sends; the receiver's tag check must reject it. Only offered on a live connection.
 */
export function TamperDrill({ contactId, contactName }: { contactId: string; contactName: string }) {
  const api = useApi();
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);

  const arm = async () => {
    const result = await settle(api.flipBitInNextMessage({ contactId }));
    setStatus(
      result.ok
        ? { text: `Armed: one bit of your next message to ${contactName} will be flipped on the wire.`, error: false }
        : { text: result.error.message, error: true },
    );
  };

  return (
    <div className="drill">
      <button type="button" onClick={() => void arm()}>
        Tamper drill: flip a bit in my next message
      </button>
      <p className={status?.error ? 'error' : 'muted'} role="status">
        {status?.text ?? ''}
      </p>
    </div>
  );
}
