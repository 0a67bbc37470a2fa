import { ContactList } from './contact-list';
import { NearbySection } from './nearby/nearby-section';
import { RequestList } from './request-list';
import type { Selection } from './selection';

interface SidebarProps {
  selection: Selection;
  onSelect(selection: Selection): void;
  onAddContact(): void;
  /** Open the pairing dialog: showing our code, or (with an address) typing theirs. */
  onPair(address?: string): void;
}

/** Navigation: back to one's own identity, pending requests, and the contacts. */
export function Sidebar({ selection, onSelect, onAddContact, onPair }: SidebarProps) {
  return (
    <nav className="sidebar" aria-label="Contacts">
      <button
        type="button"
        className="contact-item identity-link"
        aria-current={selection.kind === 'home' ? 'true' : undefined}
        onClick={() => onSelect({ kind: 'home' })}
      >
        Your identity and invite
      </button>
      <RequestList selection={selection} onSelect={onSelect} />
      <section aria-labelledby="contacts-heading">
        <div className="section-head">
          <h2 id="contacts-heading">Contacts</h2>
          <button type="button" onClick={onAddContact}>
            Add contact
          </button>
          <button type="button" onClick={() => onPair()}>
            Pair with a code
          </button>
        </div>
        <ContactList selection={selection} onSelect={onSelect} />
      </section>
      <NearbySection onPair={onPair} />
    </nav>
  );
}
