/**
 * A session became ready (the peer's hello arrived): the contact is seen, the reconnector's
 * backoff resets, `conn.ready` is announced, and the outbox goes out in order.
 */
import type { EventInput, Role } from '../../../shared/events';
import type { Contact, ContactStore } from '../store/contacts';
import { cleanName } from '../trust/names';
import type { FrameOf } from '../wire/protocol';
import type { Session } from '../wire/session';
import type { Delivery } from './delivery';
import type { Reconnector } from './reconnector';

export interface ReadyDeps {
  contacts: ContactStore;
  reconnector: Reconnector;
  delivery: Delivery;
  emit: (event: EventInput) => void;
}

export function onSessionReady(deps: ReadyDeps, contact: Contact, session: Session, hello: FrameOf<'hello'>, role: Role): void {
  const contactId = contact.id;
  deps.reconnector.succeeded(contactId);
  deps.contacts.markSeen(contactId);
  // The hello name is the peer's claim, cleaned before it is stored or shown anywhere.
  const peerName = cleanName(hello.name);
  if (!contact.name && peerName) deps.contacts.rename(contactId, peerName);
  deps.emit({
    conn: session.conn,
    dir: 'in',
    layer: 'app',
    kind: 'conn.ready',
    summary: `Connected to ${peerName || contact.name}: both sides are authenticated and greeted each other. Messages can flow.`,
    detail: {
      role,
      contactId,
      peerName,
      peerPin: contact.pin,
      protocolVersion: hello.v,
    },
  });
  // Anything not yet acknowledged goes (again) now, in order; the receiver drops duplicates by id.
  deps.delivery.flushOutbox(contactId, session);
}
