/**
 * Each contact's link: its connection state and live session, as one table. Sessions writes it
 * (attach, close); delivery and the facade read it. Being its own part, it exists before either,
 * so neither has to reach the other through a field that is assigned later.
 */
import type { ConnectionState } from '../../../shared/views';
import type { Tap } from '../tls/tap';
import type { Session } from '../wire/session';

export interface Link {
  state: ConnectionState;
  connId: string | null;
  lastClose: string | null;
  session: Session | null;
  /** The tap under the live connection's TLS, for the tamper drill. */
  tap: Tap | null;
  attachedAt: number;
}

export class Links {
  private readonly byContact = new Map<string, Link>();

  /** The contact's link, created offline on first use. */
  of(contactId: string): Link {
    let link = this.byContact.get(contactId);
    if (!link) {
      link = { state: 'offline', connId: null, lastClose: null, session: null, tap: null, attachedAt: 0 };
      this.byContact.set(contactId, link);
    }
    return link;
  }

  /** The contact's session if it has greeted (hello both ways), else null. */
  ready(contactId: string): Session | null {
    const s = this.of(contactId).session;
    return s?.ready ? s : null;
  }

  forget(contactId: string): void {
    this.byContact.delete(contactId);
  }

  all(): IterableIterator<Link> {
    return this.byContact.values();
  }
}
