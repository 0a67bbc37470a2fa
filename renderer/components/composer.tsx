import { useState, type FormEvent, type KeyboardEvent } from 'react';

import { MAX_TEXT_CHARS } from '../../shared/limits';
import { useApi, useStore } from '../state/engine-context';
import { settle } from '../state/result';

/** Write and send: Enter sends, Shift+Enter starts a new line. */
export function Composer({ contactId }: { contactId: string }) {
  const api = useApi();
  const store = useStore();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    const result = await settle(api.sendMessage({ contactId, text: body }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    store.upsertMessage(result.value);
    // Keep anything typed while the send was in flight.
    setText((current) => (current === text ? '' : current));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME composition (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor="message-input" className="sr-only">
        Message
      </label>
      <textarea
        id="message-input"
        rows={2}
        maxLength={MAX_TEXT_CHARS}
        placeholder="Write a message. Enter sends, Shift+Enter adds a line."
        value={text}
        aria-describedby={error ? 'composer-error' : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={busy || !text.trim()}>
        Send
      </button>
      {error && (
        <p id="composer-error" className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
