import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';

import type { ContactView } from '../../shared/views';
import { stateWords } from '../state/connection-facts';
import { formatClock, plural } from '../state/format';
import { useApi, useEngineState, useStore } from '../state/engine-context';
import { settle } from '../state/result';
import { Composer } from './composer';
import { LockBadge } from './lock-badge';
import { MessageList } from './message-list';
import { TamperDrill } from './tamper-drill';
import { RemoveContact } from './trust/remove-contact';
import { TrustControls } from './trust/verified-badge';

const noMessages: never[] = [];

interface ChatProps {
  contact: ContactView;
  onShowOnWire?: (messageId: string) => void;
}

/** One conversation: who, how the connection stands, the messages, and the composer. */
export function Chat({ contact, onShowOnWire }: ChatProps) {
  const api = useApi();
  const store = useStore();
  const messages = useEngineState((s) => s.messages[contact.id] ?? noMessages);
  const paging = useEngineState((s) => s.history[contact.id]);
  // A connection refused at the pin check never becomes a chat, even for a moment.
  const refused = useEngineState((s) => contact.connId !== null && s.alerts.some((a) => a.conn === contact.connId));
  const [connectError, setConnectError] = useState<string | null>(null);

  // The last attempt's error stays until the next attempt answers (a dial on opening clears nothing early).
  const connect = useCallback(
    () => settle(api.connectContact({ contactId: contact.id })).then((result) => setConnectError(result.ok ? null : result.error.message)),
    [api, contact.id],
  );

  // Opening a chat loads its messages and, if nobody is connected, dials (when we know where to).
  // Only on opening: a drop while the chat is open is the engine's to retry, or the user's (Reconnect).
  const { id, state, address } = contact;
  const dialIfOffline = useEffectEvent(() => {
    if ((state === 'offline' || state === 'closed') && address && !contact.trustProblem) void connect();
  });
  useEffect(() => {
    void store.watchMessages(id);
    dialIfOffline();
  }, [store, id]);

  // Read on opening, and again whenever something arrives while the chat is open.
  const markedOnce = useRef(false);
  useEffect(() => {
    if (markedOnce.current && contact.unread === 0) return;
    markedOnce.current = true;
    void settle(api.markRead({ contactId: id }));
  }, [api, id, contact.unread]);

  const offline = state === 'offline' || state === 'closed';
  return (
    <section className="chat" aria-labelledby="chat-heading">
      <header className="chat-header">
        <h2 id="chat-heading">{contact.name}</h2>
        <TrustControls contact={contact} />
        {contact.trustProblem && (
          <p className="loud-warning" role="alert">
            Damaged, not trusted ({contact.trustProblem.code}): {contact.trustProblem.message}
          </p>
        )}
        <p className={`conn-state conn-${state}`} aria-live="polite">
          {stateWords(contact)}
        </p>
        {!offline && <LockBadge conn={contact.connId} />}
        {offline && contact.nextRetryAt && <p className="muted conn-retry">Next attempt at {formatClock(contact.nextRetryAt)}</p>}
        {(contact.queued ?? 0) > 0 && <p className="muted conn-queued">{plural(contact.queued!, 'message')} waiting to be sent</p>}
        {offline && address && !contact.trustProblem && (
          <button
            type="button"
            onClick={() => {
              setConnectError(null);
              void connect();
            }}
          >
            Reconnect
          </button>
        )}
        <RemoveContact contact={contact} />
      </header>
      {connectError && (
        <p className="error" role="alert">
          Could not connect: {connectError}
        </p>
      )}
      {state === 'ready' && !refused && <TamperDrill contactId={id} contactName={contact.name} />}
      <MessageList
        messages={messages}
        contactName={contact.name}
        onShowOnWire={onShowOnWire}
        onLoadOlder={() => void store.loadOlderMessages(id)}
        loadingOlder={paging?.loadingOlder ?? false}
        complete={paging?.complete ?? true}
      />
      {refused ? (
        <p className="refused" role="status">
          This connection was refused: the key presented was not {contact.name}’s. Nothing was sent.
        </p>
      ) : (
        <Composer contactId={contact.id} />
      )}
    </section>
  );
}
