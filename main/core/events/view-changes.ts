/**
 * Which engine facts change which of the renderer's views (`View`, shared/events.ts). The part
 * where a fact happens says so here (`changed('messages', contactId)`), and this module turns it
 * into `view.invalidated` events: the renderer reads a view again exactly when one arrives, and
 * keeps no table of its own about which events touch what (ARCHITECTURE.md, "The event model").
 *
 * A turn's changes are collected and sent once the turn is over, one event per view (and per
 * contact for messages): a read of a hundred messages costs one invalidation, not a hundred. The
 * events carry only the view's name and, for messages, our own id of the contact: never content,
 * and nothing a not-yet-trusted peer sent.
 */
import type { EventInput, View } from '../../../shared/events';

export type EngineFact =
  /** The identity was created: it, and the invite in the network view. */
  | 'identity'
  /** The listener started or failed. */
  | 'listening'
  /** A new contact: the list, and nearby peers' "already a contact". */
  | 'contact-added'
  /** A contact's name, address, pin, verification, connection state or next retry. */
  | 'contact-updated'
  /** A contact was removed with its conversation: the list, and nearby peers' "already a contact". */
  | 'contact-removed'
  /** A conversation's messages were stored, sent, delivered, failed or read: the chat and the list's counts. */
  | 'messages'
  /** A held knock came, was replaced, or left the queue. */
  | 'request'
  /** A possible key change was raised or ended. */
  | 'key-change'
  /** Discovery started or stopped, or heard a peer come or go. */
  | 'nearby';

const VIEWS_OF: Readonly<Record<EngineFact, readonly View[]>> = {
  identity: ['identity', 'network'],
  listening: ['network'],
  'contact-added': ['contacts', 'discovery'],
  'contact-updated': ['contacts'],
  'contact-removed': ['contacts', 'discovery'],
  messages: ['messages', 'contacts'],
  request: ['requests'],
  'key-change': ['keyChanges'],
  nearby: ['discovery'],
};

const WORDS: Readonly<Record<View, string>> = {
  identity: 'identity',
  network: 'listening address and invite',
  contacts: 'contact list',
  requests: 'requests waiting for a decision',
  messages: 'messages of one conversation',
  keyChanges: 'key changes waiting for a decision',
  discovery: 'nearby peers',
};

export type ViewChanged = (fact: EngineFact, contactId?: string | null) => void;

export class ViewChanges {
  /** This turn's invalidations, by view (and contact): a Map keeps them in the order they happened. */
  private readonly pending = new Map<string, { view: View; contactId?: string }>();

  constructor(private readonly emit: (event: EventInput) => void) {}

  changed: ViewChanged = (fact, contactId) => {
    if (this.pending.size === 0) setImmediate(this.flush);
    for (const view of VIEWS_OF[fact]) {
      // Only a conversation is per contact; the other views are read whole.
      const perContact = view === 'messages' && contactId ? contactId : undefined;
      const key = perContact ? `${view}:${perContact}` : view;
      if (!this.pending.has(key)) this.pending.set(key, perContact ? { view, contactId: perContact } : { view });
    }
  };

  private readonly flush = (): void => {
    const changes = [...this.pending.values()];
    this.pending.clear();
    for (const detail of changes) {
      this.emit({ conn: null, dir: 'local', layer: 'app', kind: 'view.invalidated', summary: `The ${WORDS[detail.view]} changed.`, detail });
    }
  };
}
