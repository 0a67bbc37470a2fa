import { useState } from 'react';

import type { ContactView } from '../../../shared/views';
import { useApi } from '../../state/engine-context';
import { settle } from '../../state/result';
import { drillTitle, type VerdictCard } from '../../state/wire-model';

export type EveMode = 'passive' | 'tamper' | 'replay' | 'impostor';

export const eveLabels: Record<EveMode, string> = {
  passive: 'Eavesdropper (Eve listens)',
  tamper: 'Tamper (Eve flips a bit)',
  replay: 'Replay',
  impostor: 'Impostor (Eve answers with her own key)',
};

export interface Drills {
  busy: boolean;
  status: { text: string; error: boolean } | null;
  /** The downgrade attempt's verdict (it makes no connection of this contact's). */
  downgrade: VerdictCard | null;
  startEve(mode: EveMode): Promise<void>;
  stopEve(): Promise<void>;
  flipNext(): Promise<void>;
  tryDowngrade(): Promise<void>;
  /** Connect once more with X25519 alone, to compare with the hybrid handshake. */
  compareClassical(): Promise<void>;
}

/** The break-it drills on one contact, one call each, with the engine's answer in words. */
export function useDrills(contact: Pick<ContactView, 'id' | 'name'> | null): Drills {
  const api = useApi();
  const [status, setStatus] = useState<Drills['status']>(null);
  const [downgrade, setDowngrade] = useState<VerdictCard | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (what: string, call: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    setStatus(result.ok ? { text: what, error: false } : { text: result.error.message, error: true });
  };
  const noContact = () => setStatus({ text: 'Connect to a contact first: the drills act on a live connection.', error: true });

  return {
    busy,
    status,
    downgrade,
    startEve: async (mode) => {
      if (!contact) return noContact();
      await run(`${eveLabels[mode]}: started between you and ${contact.name}. Send a message to see it.`, () => settle(api.startEveDrill({ contactId: contact.id, mode })));
    },
    stopEve: () => run('Eve stopped: the peers talk directly again.', () => settle(api.stopEveDrill({}))),
    flipNext: async () => {
      if (!contact) return noContact();
      await run(`Armed: one bit of your next message to ${contact.name} will be flipped.`, () => settle(api.flipBitInNextMessage({ contactId: contact.id })));
    },
    compareClassical: async () => {
      if (!contact) return noContact();
      await run(`Reconnecting to ${contact.name} once with X25519 alone: the comparison with the hybrid handshake follows.`, () => settle(api.compareClassical({ contactId: contact.id })));
    },
    tryDowngrade: async () => {
      setBusy(true);
      const result = await settle(api.runDowngradeDrill({ contactId: contact?.id ?? null }));
      setBusy(false);
      if (!result.ok) return setStatus({ text: result.error.message, error: true });
      const v = result.value;
      const outcome = (['defeated', 'succeeded', 'observed'] as const).find((o) => o === v.outcome) ?? 'observed';
      setDowngrade({ key: 'downgrade', seq: 0, source: 'This side', title: drillTitle(v.drill), outcome, reason: v.reason });
      setStatus(null);
    },
  };
}
