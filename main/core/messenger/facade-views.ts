/**
 * What the Messenger shows of its parts. Front ends, the IPC handlers, the CLI and tests read the
 * stores and run the drills through these views; everything that changes trust or state (adding
 * a contact, pinning, sending) is a Messenger method, so its checks and its events always happen.
 * Each view is its own object: holding one gives no way to the part behind it.
 */
import type { Contact, ContactStore } from '../store/contacts';
import type { MessageStore } from '../store/messages';
import type { KeyChanges } from '../trust/key-changes';
import type { Drills } from './drills';
import type { Nearby } from './nearby';

/** Read-only: contacts change through Messenger.addContact, trustKey, markVerified, pairing… */
export interface ContactsView {
  list(): Contact[];
  byId(id: string): Contact | null;
  byPin(pin: string): Contact | null;
  byName(name: string): Contact | null;
  pinHistory: ContactStore['pinHistory'];
}

/** Read-only: messages are written through Messenger.send, markRead and the sessions. */
export type MessagesView = Pick<MessageStore, 'get' | 'page' | 'undelivered' | 'queuedCount' | 'unreadCount' | 'lastMessageAt'>;

export type KeyChangesView = Pick<KeyChanges, 'list'>;

/** The discovery the user switches on and off, and what it hears. */
export type NearbyView = Pick<Nearby, 'start' | 'stop' | 'view'>;

/** The drills the user starts from the app (the tamper drill is Messenger.flipBitInNextMessage). */
export interface DrillsView extends Pick<Drills, 'startEve' | 'stopEve' | 'downgrade' | 'compareClassical' | 'exportCapture'> {
  readonly activeDrill: Drills['activeDrill'];
}

export function contactsView(store: ContactStore): ContactsView {
  return Object.freeze({
    list: () => store.list(),
    byId: (id: string) => store.byId(id),
    byPin: (pin: string) => store.byPin(pin),
    byName: (name: string) => store.byName(name),
    pinHistory: (id: string) => store.pinHistory(id),
  });
}

export function messagesView(store: MessageStore): MessagesView {
  return Object.freeze({
    get: (contactId: string, id: string) => store.get(contactId, id),
    page: (contactId: string, before: string | undefined, limit: number) => store.page(contactId, before, limit),
    undelivered: (contactId: string) => store.undelivered(contactId),
    queuedCount: (contactId: string) => store.queuedCount(contactId),
    unreadCount: (contactId: string) => store.unreadCount(contactId),
    lastMessageAt: (contactId: string) => store.lastMessageAt(contactId),
  });
}

export function keyChangesView(keyChanges: KeyChanges): KeyChangesView {
  return Object.freeze({ list: () => keyChanges.list() });
}

export function nearbyView(nearby: Nearby): NearbyView {
  return Object.freeze({ start: (iface: string) => nearby.start(iface), stop: () => nearby.stop(), view: () => nearby.view() });
}

export function drillsView(drills: Drills): DrillsView {
  return Object.freeze({
    startEve: (contactId: string, mode: Parameters<Drills['startEve']>[1]) => drills.startEve(contactId, mode),
    stopEve: () => drills.stopEve(),
    downgrade: (contactId: string | null) => drills.downgrade(contactId),
    compareClassical: (contactId: string) => drills.compareClassical(contactId),
    exportCapture: (conn: string, withKeys: boolean) => drills.exportCapture(conn, withKeys),
    get activeDrill() {
      return drills.activeDrill;
    },
  });
}
