import { useState } from 'react';

import type { ContactView } from '../../../shared/views';
import { SafetyNumberDialog } from './safety-number-dialog';

/** In the chat header: whether the safety number was compared, and the button to compare it. */
export function TrustControls({ contact }: { contact: ContactView }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {contact.verified ? (
        <span className="badge badge-verified" role="img" aria-label="Verified">
          ✓ Verified
        </span>
      ) : (
        <span className="badge badge-unverified" role="img" aria-label="Not verified">
          Not verified
        </span>
      )}
      <button type="button" onClick={() => setOpen(true)}>
        Safety number
      </button>
      {open && <SafetyNumberDialog contact={contact} onClose={() => setOpen(false)} />}
    </>
  );
}
