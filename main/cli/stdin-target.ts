/**
 * Who the lines typed into `listen` go to. A listener may be reached by more than one peer — with
 * `--accept-new`, by any host on the network — so the target is fixed once and never moves by
 * itself: the peer named with `--to` (its pin, or a contact name), else the first peer of the
 * session to connect. Every peer that connects is reported with whether it is the target, and
 * the moment the target is fixed is a record of its own; a later peer never takes it over.
 */
import type { Messenger } from '../core/messenger/messenger';
import { parsePin } from '../core/trust/pins';
import type { Output } from './output';

export class StdinTarget {
  private contactId: string | null = null;
  private readonly pin: string | null;

  constructor(
    private readonly m: Messenger,
    private readonly out: Output,
    private readonly wanted: string | null,
  ) {
    this.pin = wanted ? pinOrNull(wanted) : null;
    // Subscribed before the chat's own reporting, so a `connected` record already knows.
    m.events.subscribe((e) => {
      if (e.kind === 'conn.ready') this.consider(e.detail.contactId);
    });
  }

  get(): string | null {
    return this.contactId;
  }

  is(contactId: string): boolean {
    return this.contactId === contactId;
  }

  private consider(contactId: string): void {
    if (this.contactId || !this.matches(contactId)) return;
    this.contactId = contactId;
    const contact = this.m.contacts.byId(contactId);
    const name = contact?.name ?? '';
    const pin = contact?.pin ?? '';
    this.out.record({ type: 'target', contactId, name, pin }, `typed lines go to ${name || 'this peer'} (${pin}) for the rest of this session`);
  }

  private matches(contactId: string): boolean {
    if (!this.wanted) return true;
    const contact = this.m.contacts.byId(contactId);
    if (this.pin) return contact?.pin === this.pin;
    return this.m.contacts.byName(this.wanted)?.id === contactId;
  }
}

function pinOrNull(text: string): string | null {
  try {
    return parsePin(text);
  } catch {
    return null; // not a pin: a contact name
  }
}
