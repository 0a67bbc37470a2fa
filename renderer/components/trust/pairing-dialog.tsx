import { useEffect, useEffectEvent, useId, useState, type FormEvent, type KeyboardEvent } from 'react';

import type { EventBase } from '../../../shared/events';
import type { ContactView } from '../../../shared/views';
import { useApi, useEngineState, useStore } from '../../state/engine-context';
import type { EngineStore } from '../../state/engine-store';
import { settle } from '../../state/result';
import { Modal } from '../modal';
import { ErrorLine } from '../error-line';

export type PairingTab = 'show' | 'have';

/** "Pair again" from a key-change card: the change whose contact a success re-pins. */
export interface PairingAim {
  keyChangeId: string;
  contactName: string;
}

interface PairingDialogProps {
  initialTab?: PairingTab;
  /** Pre-filled HOST:PORT (from a nearby peer, or a contact whose key changed). */
  initialAddress?: string;
  /** Set when started from a key-change card; otherwise a pairing only ever adds a contact. */
  aim?: PairingAim;
  onClose(): void;
  onPaired(contact: ContactView): void;
}

export const PAIRING_FAILED_TEXT = 'The codes did not match, or someone is in between. Nothing was pinned.';

type PairingEvent = EventBase<'trust.pairing'>;

function newestSeqNow(store: EngineStore): number {
  const events = store.getState().events;
  return events[events.length - 1]?.seq ?? 0;
}

/** The newest `trust.pairing` event after `afterSeq`, or null. */
function usePairingEvent(afterSeq: number): PairingEvent | null {
  const events = useEngineState((s) => s.events);
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i]!;
    if (event.seq <= afterSeq) break;
    if (event.kind === 'trust.pairing') return event as PairingEvent;
  }
  return null;
}

/**
 * Pairing by a short code: one side shows a three-word code, the other types it with the address.
 * Both keys get pinned only if both typed the same code and nobody sits in between.
 */
export function PairingDialog({ initialTab = 'show', initialAddress = '', aim, onClose, onPaired }: PairingDialogProps) {
  const [tab, setTab] = useState<PairingTab>(initialTab);
  const base = useId();
  const tabs: { id: PairingTab; label: string }[] = [
    { id: 'show', label: 'Show my code' },
    { id: 'have', label: 'I have a code' },
  ];
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next: PairingTab = tab === 'show' ? 'have' : 'show';
    setTab(next);
    document.getElementById(`${base}-tab-${next}`)?.focus();
  };

  return (
    <Modal title={aim ? `Pair again with ${aim.contactName}` : 'Pair with a code'} onEscape={onClose} className="pairing">
      {aim && (
        <p>
          For {aim.contactName}’s key change: give the code to {aim.contactName} only. If the pairing succeeds, the key that
          paired becomes {aim.contactName}’s pinned key.
        </p>
      )}
      <div role="tablist" aria-label="How to pair" className="tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${base}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`tab${tab === t.id ? ' tab-current' : ''}`}
            onClick={() => setTab(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel-${tab}`} aria-labelledby={`${base}-tab-${tab}`} className="tab-panel">
        {tab === 'show' ? (
          <ShowCode keyChangeId={aim?.keyChangeId} onPaired={onPaired} />
        ) : (
          <HaveCode initialAddress={initialAddress} keyChangeId={aim?.keyChangeId} onPaired={onPaired} />
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

/** "Show my code": the engine waits for one pairing attempt with this code while the tab is open. */
function ShowCode({ keyChangeId, onPaired }: { keyChangeId?: string; onPaired(contact: ContactView): void }) {
  const api = useApi();
  const store = useStore();
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only pairing events from this round count, not those of an earlier code.
  const [round, setRound] = useState(() => ({ n: 0, since: newestSeqNow(store) }));
  const event = usePairingEvent(round.since);
  const contacts = useEngineState((s) => s.contacts);

  // A new round (after a failed attempt used the code up) asks for a fresh code.
  const newRound = () => {
    setCode(null);
    setError(null);
    setRound((r) => ({ n: r.n + 1, since: newestSeqNow(store) }));
  };

  useEffect(() => {
    let live = true;
    void settle(api.startPairing(keyChangeId ? { keyChangeId } : {})).then((result) => {
      if (!live) return;
      if (result.ok) setCode(result.value.code);
      else setError(result.error.message);
    });
    return () => {
      live = false;
      void settle(api.stopPairing({}));
    };
  }, [api, keyChangeId, round.n]);

  const listenerEvent = event && event.detail.role === 'listener' ? event : null;
  const phase = listenerEvent?.detail.phase ?? null;
  const paired = phase === 'succeeded' ? contacts.find((c) => c.pin === listenerEvent!.detail.peerPin) : undefined;
  // The new contact arrives with the contacts' invalidation that the pairing's success causes.
  const announce = useEffectEvent(onPaired);
  useEffect(() => {
    if (paired) announce(paired);
  }, [paired]);

  const words = code ? code.split(/[\s-]+/) : [];
  return (
    <div className="pairing-show">
      <p>Tell the other person this code (and your address). They choose “I have a code” and type it.</p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : code ? (
        <p className="pairing-code" translate="no">
          {words.map((word, i) => (
            <span key={i}>
              <span className="pairing-word">{word}</span>
              {i < words.length - 1 ? ' ' : null}
            </span>
          ))}
        </p>
      ) : (
        <p className="muted" role="status">
          Making a code…
        </p>
      )}
      <p className="muted">This code works once, and only while this window is open.</p>
      <div role="status" aria-live="polite">
        {phase === 'started' && <p>Someone is pairing with this code…</p>}
        {phase === 'succeeded' && <p>Paired ✓ Opening the chat…</p>}
      </div>
      {phase === 'failed' && (
        <div>
          <p className="error" role="alert">
            {PAIRING_FAILED_TEXT}
          </p>
          <button type="button" onClick={newRound}>
            Make a new code
          </button>
        </div>
      )}
    </div>
  );
}

/** "I have a code": the other side's address and the code they read out. */
function HaveCode({ initialAddress, keyChangeId, onPaired }: { initialAddress: string; keyChangeId?: string; onPaired(contact: ContactView): void }) {
  const api = useApi();
  const store = useStore();
  const addressId = useId();
  const codeId = useId();
  const [address, setAddress] = useState(initialAddress);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const event = usePairingEvent(startedAt ?? Number.MAX_SAFE_INTEGER);

  const submit = async (formEvent: FormEvent) => {
    formEvent.preventDefault();
    if (!address.trim() || !code.trim()) {
      setError('Enter both the address (host:port) and the code.');
      return;
    }
    setBusy(true);
    setError(null);
    setStartedAt(newestSeqNow(store));
    const result = await settle(api.pairWith({ address: address.trim(), code: code.trim(), ...(keyChangeId ? { keyChangeId } : {}) }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error.code === 'PAIRING_FAILED' ? PAIRING_FAILED_TEXT : result.error.message);
      return;
    }
    store.upsertContact(result.value);
    onPaired(result.value);
  };

  const progress = !busy
    ? null
    : event?.detail.role === 'dialer' && event.detail.phase === 'started'
      ? 'Connected; proving that both sides typed the same code…'
      : 'Connecting…';

  return (
    <form onSubmit={submit} noValidate className="pairing-have">
      <div className="field">
        <label htmlFor={addressId}>Address (host:port)</label>
        <input
          id={addressId}
          data-autofocus={initialAddress ? undefined : true}
          className="mono"
          placeholder="192.0.2.10:7700"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={codeId}>Code</label>
        <input
          id={codeId}
          data-autofocus={initialAddress ? true : undefined}
          className="pairing-code-input"
          autoComplete="off"
          spellCheck={false}
          placeholder="three words"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      <div role="status" aria-live="polite" className="muted">
        {progress}
      </div>
      <ErrorLine error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Pairing…' : 'Pair'}
        </button>
      </div>
    </form>
  );
}
