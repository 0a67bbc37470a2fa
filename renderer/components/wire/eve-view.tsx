import { useMemo } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import { eveDump } from '../../state/wire-model';

const actionWords: Record<string, string> = {
  relayed: 'passed on',
  flipped: 'flipped a bit, then passed on',
  replayed: 'sent a second copy',
  terminated: 'answered herself',
  dropped: 'dropped',
};

/** Demo step 6: what someone on the network sees — the hellos readable, then only ciphertext. */
export function EveView({ events }: { events: readonly LockstepEvent[] }) {
  const chunks = useMemo(() => eveDump(events), [events]);
  return (
    <section className="wire-eve" aria-label="What Eve sees">
      <h3>What someone on the network sees (Eve)</h3>
      {chunks.length === 0 ? (
        <p className="muted">Eve is not listening. Start the eavesdropper drill to see the raw bytes between the two peers.</p>
      ) : (
        <ol className="eve-chunks">
          {chunks.map((c) => (
            <li key={c.seq} className={`eve-chunk eve-${c.from}`}>
              <p className="eve-chunk-head">
                {c.bytes} bytes from the {c.from} · Eve {actionWords[c.action] ?? c.action}
              </p>
              <pre className="hexdump" aria-label={`Hex dump of ${c.bytes} bytes from the ${c.from}`}>
                {c.lines.map((l) => `${l.offset}  ${l.hex.padEnd(47)}  |${l.ascii}|`).join('\n')}
                {c.omitted > 0 ? `\n… ${c.omitted} more bytes` : ''}
              </pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
