import type { ContactView } from '../../shared/views';
import { useEngineState } from '../state/engine-context';
import type { Selection } from './selection';

function presence(contact: ContactView): { word: string; tone: 'online' | 'busy' | 'offline' } {
  switch (contact.state) {
    case 'ready':
      return { word: 'online', tone: 'online' };
    case 'connecting':
    case 'securing':
      return { word: 'connecting', tone: 'busy' };
    case 'waiting':
      return { word: 'waiting to be accepted', tone: 'busy' };
    default:
      return { word: 'offline', tone: 'offline' };
  }
}

interface ContactListProps {
  selection: Selection;
  onSelect(selection: Selection): void;
}

/** The contacts, each a button whose name says who, whether they are online, and what is unread. */
export function ContactList({ selection, onSelect }: ContactListProps) {
  const contacts = useEngineState((s) => s.contacts);
  if (contacts.length === 0) return <p className="muted">No contacts yet. Add one with an invite.</p>;
  return (
    <ul className="contact-list">
      {contacts.map((contact) => {
        const { word, tone } = presence(contact);
        const current = selection.kind === 'contact' && selection.id === contact.id;
        return (
          <li key={contact.id}>
            <button
              type="button"
              className="contact-item"
              aria-current={current ? 'true' : undefined}
              onClick={() => onSelect({ kind: 'contact', id: contact.id })}
            >
              <span className="contact-name">{contact.name}</span>
              {contact.trustProblem && <span className="warning-tag">damaged — not trusted</span>}
              <span className={`presence presence-${tone}`}>
                <span className="presence-dot" aria-hidden="true" />
                {word}
              </span>
              {contact.unread > 0 && <span className="unread">{contact.unread} unread</span>}
              {(contact.queued ?? 0) > 0 && <span className="muted">{contact.queued} waiting to send</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
