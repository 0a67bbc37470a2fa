import { useState, type FormEvent } from 'react';

import { MAX_NAME_CHARS } from '../../shared/limits';
import { useStore } from '../state/engine-context';

/** First run: no identity yet. A name is all it takes; the key pair is made on this machine. */
export function FirstRun() {
  const store = useStore();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Enter a name.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await store.createIdentity(name.trim());
    setBusy(false);
    if (!result.ok) setError(result.error.message);
  };

  return (
    <main className="first-run">
      <h2>Welcome to Lockstep</h2>
      <p>
        Pick the name your contacts will see. Lockstep then makes a key pair on this machine; the private key never
        leaves it.
      </p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="display-name">Display name</label>
        <input
          id="display-name"
          value={name}
          maxLength={MAX_NAME_CHARS}
          autoComplete="nickname"
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'display-name-error' : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {error && (
          <p id="display-name-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating your key…' : 'Create identity'}
        </button>
      </form>
    </main>
  );
}
