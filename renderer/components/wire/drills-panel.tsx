import { useMemo } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import type { ContactView } from '../../../shared/views';
import { latestComparison } from '../../state/handshake-comparison';
import { verdictCards, type VerdictCard } from '../../state/wire-model';
import { HandshakeComparison } from './handshake-comparison';
import { eveLabels, useDrills, type EveMode } from './use-drills';

const eveModes: EveMode[] = ['passive', 'tamper', 'replay', 'impostor'];

const outcomeWords: Record<VerdictCard['outcome'], string> = {
  defeated: 'Attack defeated',
  refused: 'Refused',
  observed: 'Observed',
  succeeded: 'ATTACK SUCCEEDED',
};

export function VerdictCardView({ card }: { card: VerdictCard }) {
  return (
    <article className={`verdict-card verdict-${card.outcome}`} aria-label={`${card.title}: ${outcomeWords[card.outcome]}`}>
      <p className="verdict-head">
        {card.title} · {outcomeWords[card.outcome]} <span className="verdict-source">({card.source})</span>
      </p>
      <p className="verdict-reason">{card.reason}</p>
    </article>
  );
}

/** Demo steps 6–9 one click each, on the selected contact, with each drill's verdict in plain words. */
export function DrillsPanel({ contact, events, conns }: { contact: Pick<ContactView, 'id' | 'name'>; events: readonly LockstepEvent[]; conns: readonly string[] | null }) {
  const drills = useDrills(contact);
  const { busy, status, downgrade } = drills;
  const cards = useMemo(() => verdictCards(events, conns ? new Set(conns) : null), [events, conns]);
  const comparison = useMemo(() => latestComparison(events, conns ? new Set(conns) : null), [events, conns]);
  return (
    <section className="wire-drills" aria-label="Drills">
      <h3>Break it (drills with {contact.name})</h3>
      <div className="drill-buttons">
        {eveModes.map((mode) => (
          <button key={mode} type="button" disabled={busy} onClick={() => void drills.startEve(mode)}>
            {eveLabels[mode]}
          </button>
        ))}
        <button type="button" disabled={busy} onClick={() => void drills.stopEve()}>
          Stop Eve
        </button>
        <button type="button" disabled={busy} onClick={() => void drills.flipNext()}>
          Flip a bit in my next message
        </button>
        <button type="button" disabled={busy} onClick={() => void drills.tryDowngrade()}>
          Try a TLS 1.2 downgrade
        </button>
        <button type="button" disabled={busy} onClick={() => void drills.compareClassical()}>
          Compare: connect once classical-only (X25519)
        </button>
      </div>
      <p className={status?.error ? 'error' : 'muted'} role="status">
        {status?.text ?? ''}
      </p>
      {comparison && <HandshakeComparison hybrid={comparison.detail.comparison.hybrid} classical={comparison.detail.comparison.classical} />}
      <div className="verdicts" aria-live="polite">
        {downgrade && <VerdictCardView card={downgrade} />}
        {cards.map((c) => (
          <VerdictCardView key={c.key} card={c} />
        ))}
      </div>
    </section>
  );
}
