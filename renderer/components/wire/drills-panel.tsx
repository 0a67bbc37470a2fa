import { useMemo, useState } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import type { ContactView } from '../../../shared/views';
import { useApi } from '../../state/engine-context';
import { settle } from '../../state/result';
import { drillTitle, verdictCards, type VerdictCard } from '../../state/wire-model';

type EveMode = 'passive' | 'tamper' | 'replay' | 'impostor';

const eveButtons: { mode: EveMode; label: string }[] = [
  { mode: 'passive', label: 'Eavesdropper (Eve listens)' },
  { mode: 'tamper', label: 'Tamper (Eve flips a bit)' },
  { mode: 'replay', label: 'Replay' },
  { mode: 'impostor', label: 'Impostor (Eve answers with her own key)' },
];

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
  const api = useApi();
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [downgrade, setDowngrade] = useState<VerdictCard | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (what: string, call: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    setStatus(result.ok ? { text: what, error: false } : { text: result.error.message, error: true });
  };

  const startEve = (mode: EveMode, label: string) =>
    run(`${label}: started between you and ${contact.name}. Send a message to see it.`, () => settle(api.startEveDrill({ contactId: contact.id, mode })));

  const tryDowngrade = async () => {
    setBusy(true);
    const result = await settle(api.runDowngradeDrill({ contactId: contact.id }));
    setBusy(false);
    if (result.ok) {
      const v = result.value;
      const outcome = (['defeated', 'succeeded', 'observed'] as const).find((o) => o === v.outcome) ?? 'observed';
      setDowngrade({ key: 'downgrade', seq: 0, source: 'This side', title: drillTitle(v.drill), outcome, reason: v.reason });
      setStatus(null);
    } else {
      setStatus({ text: result.error.message, error: true });
    }
  };

  const cards = useMemo(() => verdictCards(events, conns ? new Set(conns) : null), [events, conns]);
  return (
    <section className="wire-drills" aria-label="Drills">
      <h3>Break it (drills with {contact.name})</h3>
      <div className="drill-buttons">
        {eveButtons.map((b) => (
          <button key={b.mode} type="button" disabled={busy} onClick={() => void startEve(b.mode, b.label)}>
            {b.label}
          </button>
        ))}
        <button type="button" disabled={busy} onClick={() => void run('Eve stopped: the peers talk directly again.', () => settle(api.stopEveDrill({})))}>
          Stop Eve
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(`Armed: one bit of your next message to ${contact.name} will be flipped.`, () => settle(api.flipBitInNextMessage({ contactId: contact.id })))}
        >
          Flip a bit in my next message
        </button>
        <button type="button" disabled={busy} onClick={() => void tryDowngrade()}>
          Try a TLS 1.2 downgrade
        </button>
      </div>
      <p className={status?.error ? 'error' : 'muted'} role="status">
        {status?.text ?? ''}
      </p>
      <div className="verdicts" aria-live="polite">
        {downgrade && <VerdictCardView card={downgrade} />}
        {cards.map((c) => (
          <VerdictCardView key={c.key} card={c} />
        ))}
      </div>
    </section>
  );
}
