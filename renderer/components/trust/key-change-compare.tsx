import { useId, useState, type FormEvent } from 'react';

import type { ContactView, KeyChangeView } from '../../../shared/views';
import { useApi } from '../../state/engine-context';
import { settle } from '../../state/result';
import { ErrorLine } from '../error-line';
import { SafetyGrid } from './safety-number-dialog';

interface KeyChangeCompareProps {
  change: KeyChangeView;
  onBack(): void;
  onVerified(contact: ContactView): void;
}

/**
 * Re-verification of a changed key, over the whole safety number: the contact reads all twelve
 * groups from their screen, the user compares every one and says so, then types back the groups
 * the engine drew at random when the new key arrived — which groups is not known in advance, so
 * clicking through does not pass, and nothing less than the whole number is compared.
 */
export function KeyChangeCompare({ change, onBack, onVerified }: KeyChangeCompareProps) {
  const api = useApi();
  const name = change.contactName;
  const base = useId();
  const [allMatch, setAllMatch] = useState(false);
  const [typed, setTyped] = useState<string[]>(() => change.checkGroups.map(() => ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const total = change.safetyNumber.split(/\s+/).length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!allMatch) {
      setError(`First compare all ${total} groups with what ${name} reads out, and tick the box if every one matches. If any group differs, this is not ${name}'s key: stop here.`);
      return;
    }
    const groups = typed.map((t) => t.replace(/\D/g, ''));
    const short = change.checkGroups.filter((_, i) => groups[i]!.length !== 5).map((g) => g + 1);
    if (short.length > 0) {
      setError(`Type five digits for group ${short.join(' and group ')}, as ${name} reads it.`);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await settle(api.reverifyKeyChange({ changeId: change.id, allGroupsMatch: true, groups }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error.code === 'SAFETY_NUMBER_MISMATCH' ? `Those digits do not match — this may not be ${name}. Nothing was changed.` : result.error.message);
      return;
    }
    onVerified(result.value);
  };

  return (
    <form onSubmit={submit} noValidate className="key-change-compare">
      <p>
        Ask {name} to open the safety number on their screen and read all {total} groups to you, in person or on a call where
        you know their voice. Compare every group with this one:
      </p>
      <SafetyGrid value={change.safetyNumber} />
      <div className="field field-check">
        <input id={`${base}-all`} type="checkbox" data-autofocus checked={allMatch} onChange={(e) => setAllMatch(e.target.checked)} />
        <label htmlFor={`${base}-all`}>
          All {total} groups match what {name} read out
        </label>
      </div>
      <p>Then ask {name} for these groups again and type them here:</p>
      <div className="check-groups">
        {change.checkGroups.map((g, i) => (
          <div className="field" key={g}>
            <label htmlFor={`${base}-g${g}`}>Group {g + 1}</label>
            <input
              id={`${base}-g${g}`}
              className="mono digits-input"
              inputMode="numeric"
              autoComplete="off"
              maxLength={7}
              value={typed[i]}
              onChange={(e) => setTyped(typed.map((t, j) => (j === i ? e.target.value : t)))}
            />
          </div>
        ))}
      </div>
      <ErrorLine error={error} />
      <div className="actions">
        <button type="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Check'}
        </button>
      </div>
    </form>
  );
}
