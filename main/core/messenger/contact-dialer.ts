/**
 * Keeping wanted contacts connected: which contacts the user wants a connection to, the dial to
 * one (pin checked by the listener's certificate), what a failed dial records (a presented
 * other key becomes a key change), and when to try again.
 */
import { LockstepError } from '../errors';
import { type HostPort, parseAddress } from '../net/address';
import type { TlsTuning } from '../net/tls-options';
import { stopsRetrying } from '../policy';
import type { Contact, ContactStore } from '../store/contacts';
import type { KeyChanges } from '../trust/key-changes';
import type { Dialing } from './dialing';
import type { Links } from './links';
import type { Reconnector } from './reconnector';
import type { Sessions } from './sessions';

export interface ContactDialerDeps {
  contacts: ContactStore;
  /** The contact, or NOT_FOUND (the facade's own check). */
  requireContact: (contactId: string) => Contact;
  links: Links;
  sessions: Sessions;
  dialing: Dialing;
  reconnector: Reconnector;
  keyChanges: KeyChanges;
  /** The drill's route to this contact (through Eve), if a drill is running. */
  routeOf: (contact: Contact) => (HostPort & { tuning?: TlsTuning }) | null;
  ownName: () => string;
  ownPin: () => string;
}

export class ContactDialer {
  /** Contacts the user wants to be connected to: dropped connections to them are retried. */
  private readonly wanted = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: ContactDialerDeps) {}

  /** Dial a contact (no-op if already connected or connecting). Resolves when the socket is checked. */
  async connect(contactId: string): Promise<void> {
    const { contacts, links, sessions, dialing } = this.deps;
    const contact = this.deps.requireContact(contactId);
    // Its pin or address may be an attacker's edit: never dialled, never retried.
    if (contact.damaged) throw new LockstepError('CONTACT_DAMAGED', contact.damaged, { details: { contactId } });
    const link = links.of(contactId);
    if (link.session && !link.session.closeInfo) return;
    if (link.state === 'connecting' || link.state === 'securing') return;
    if (!contact.address) throw new LockstepError('BAD_ADDRESS', `${contact.name || 'This contact'} has no address to dial; they must connect to you.`);
    this.wanted.add(contactId);
    const route = this.deps.routeOf(contact) ?? parseAddress(contact.address);
    const ctx = dialing.context('dialer');
    sessions.setState(contactId, 'connecting', ctx.conn, null);
    try {
      const peer = await dialing.dial(route, contact, ctx);
      // Removed while the handshake ran: its key is nobody's any more.
      if (!contacts.exists(contactId)) {
        peer.socket.destroy();
        throw new LockstepError('NOT_FOUND', 'The contact was removed while connecting.');
      }
      sessions.attach(contactId, peer, this.deps.ownName(), this.deps.ownPin() < peer.pin);
    } catch (err) {
      const e = err instanceof LockstepError ? err : new LockstepError('CONNECT_FAILED', (err as Error).message);
      sessions.emitClosed(ctx.conn, contactId, { by: 'error', code: e.code, reason: e.message });
      sessions.setState(contactId, 'closed', ctx.conn, e.message);
      if (e.code === 'PIN_MISMATCH' && e.details.presented) {
        this.deps.keyChanges.detect({ contact, newPin: e.details.presented, side: 'dialer', remoteAddress: contact.address, conn: ctx.conn });
      }
      this.retryLater(contactId, e.code);
      throw e;
    }
  }

  /** Keep a contact connected from now on: dial it (if it has an address) and retry when it drops. */
  want(contactId: string): void {
    const contact = this.deps.requireContact(contactId);
    if (!contact.address || contact.damaged) return;
    this.wanted.add(contactId);
    const link = this.deps.links.of(contactId);
    if (link.state === 'connecting' || link.state === 'securing' || link.session) return;
    this.deps.reconnector.cancel(contactId);
    this.connect(contactId).catch(() => undefined); // reported in events and the contact's state; retried
  }

  /** A connection made another way (pairing) is one the user wants kept. */
  keep(contactId: string): void {
    this.wanted.add(contactId);
  }

  /** After a lost or failed connection: try again later if the user still wants this contact. */
  retryLater(contactId: string, code: string | null): void {
    if (stopsRetrying(code)) {
      this.forget(contactId);
      return;
    }
    const contact = this.deps.contacts.byId(contactId);
    if (this.stopped || !contact?.address || !this.wanted.has(contactId)) return;
    this.deps.reconnector.schedule(contactId);
  }

  /** Drop the live connection to a contact (if any) and dial again, e.g. through Eve for a drill. */
  redial(contactId: string): void {
    this.deps.links.of(contactId).session?.close('rerouted for a drill');
    this.deps.reconnector.cancel(contactId);
    this.want(contactId);
  }

  /** Not wanted any more (removed, or a failure that retrying cannot fix): no retry is pending. */
  forget(contactId: string): void {
    this.wanted.delete(contactId);
    this.deps.reconnector.cancel(contactId);
  }

  /** The app is closing: nothing is scheduled again. */
  stop(): void {
    this.stopped = true;
  }
}
