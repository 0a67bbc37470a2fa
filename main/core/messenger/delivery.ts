/**
 * Delivery: messages out of the outbox and onto a session, incoming messages committed before
 * they are acknowledged, acks turning "sent" into "delivered". The outbox is resent in order after
 * every reconnect; the receiver's store drops duplicates by id within the conversation, so each
 * message shows once.
 *
 * Everything goes in groups (see OutgoingGroup and Session's runs): the messages sent in one turn
 * are written in one transaction and then sent in one write; the messages of one read are
 * written in one transaction and then acked in one write; the acks of one read are applied in
 * one transaction. The order of durability is the same as one by one: committed before sent,
 * committed before acked.
 */
import type { EventInput } from '../../../shared/events';
import type { MessageView } from '../../../shared/views';
import type { ViewChanged } from '../events/view-changes';
import type { MessageStore } from '../store/messages';
import { OutgoingGroup } from '../store/outgoing-group';
import type { Frame, FrameOf } from '../wire/protocol';
import type { Session } from '../wire/session';
import type { Links } from './links';

export interface DeliveryDeps {
  messages: MessageStore;
  emit: (event: EventInput) => void;
  /** Who is connected: a ready session takes messages, its connection id names the events. */
  links: Pick<Links, 'of' | 'ready'>;
  /** A conversation changed: one view.invalidated per contact per turn, however many messages. */
  changed: ViewChanged;
  /** Not connected: dial the contact (and keep retrying). */
  want: (contactId: string) => void;
}

export class Delivery {
  private readonly outgoing: OutgoingGroup;
  private readonly messages: MessageStore;

  constructor(private readonly deps: DeliveryDeps) {
    this.messages = deps.messages;
    this.outgoing = new OutgoingGroup(deps.messages, {
      sending: (contactId) => deps.links.ready(contactId) !== null,
      onCommitted: (views) => this.handOn(views),
      onFailed: (views, err) => this.storeFailed(views, err),
    });
    // A read of the outbox in the same turn as a send sees that send.
    deps.messages.beforeRead = () => this.outgoing.commit();
  }

  /** Queue a message: written at the end of this turn, then sent if the contact is connected. */
  queue(contactId: string, text: string): MessageView {
    return this.outgoing.add(contactId, text);
  }

  /** Run `fn` once the messages queued so far are on disk; `failed`: the ids that could not be written. */
  afterCommit(fn: (failed: ReadonlySet<string>) => void): void {
    this.outgoing.afterCommit(fn);
  }

  /** Store what this turn has queued now, not at its end (before a contact and its rows are removed). */
  commitNow(): void {
    this.outgoing.commit();
  }

  /** After a (re)connect: everything not yet acknowledged goes again, in the order it was written. */
  flushOutbox(contactId: string, session: Session): void {
    this.outgoing.takeCommitted(contactId);
    const sendable: MessageView[] = [];
    for (const record of this.messages.undelivered(contactId)) {
      if (record.problem) this.giveUp(contactId, session.conn, record);
      else sendable.push(record);
    }
    this.transmit(contactId, session, sendable, true);
  }

  /** This turn's committed messages, per contact, onto its session (or a dial if there is none). */
  private handOn(views: MessageView[]): void {
    const byContact = new Map<string, MessageView[]>();
    for (const v of views) {
      const list = byContact.get(v.contactId);
      if (list) list.push(v);
      else byContact.set(v.contactId, [v]);
    }
    for (const [contactId, list] of byContact) {
      this.deps.changed('messages', contactId);
      const session = this.deps.links.ready(contactId);
      // Committed as "sent" already (the session was ready when they were written).
      if (session) this.transmit(contactId, session, list, false);
      else this.deps.want(contactId);
    }
  }

  private transmit(contactId: string, session: Session, records: MessageView[], markSent: boolean): void {
    if (records.length === 0) return;
    session.sendMany(records.map((r): Frame => ({ type: 'msg', id: r.id, at: r.sentAt, text: r.text })));
    if (markSent) {
      this.deps.changed('messages', contactId);
      this.messages.markSentMany(
        contactId,
        records.map((r) => r.id),
      );
    }
    for (const record of records) {
      const size = Buffer.byteLength(record.text);
      this.deps.emit({
        conn: session.conn,
        dir: 'out',
        layer: 'app',
        kind: 'message.sent',
        summary: `Message sent (${size} bytes of text), waiting for the receiver's acknowledgement.`,
        detail: { contactId, messageId: record.id, size },
      });
    }
  }

  private storeFailed(views: MessageView[], err: Error): void {
    for (const v of views) this.deps.changed('messages', v.contactId);
    this.deps.emit({
      conn: null,
      dir: 'local',
      layer: 'store',
      kind: 'app.error',
      summary: `${views.length} message(s) could not be stored, so they were not sent: ${err.message}`,
      detail: { code: 'STORE_ERROR', message: err.message },
    });
  }

  /** A stored outgoing message that cannot be opened is never sent as an empty one: it fails, loudly. */
  private giveUp(contactId: string, conn: string, record: MessageView): void {
    this.messages.markFailed(contactId, record.id);
    this.deps.changed('messages', contactId);
    this.deps.emit({
      conn,
      dir: 'local',
      layer: 'store',
      kind: 'app.error',
      summary: `A queued message could not be sent: its stored copy cannot be opened (${record.problem}). It is marked failed.`,
      detail: { code: 'ROW_UNREADABLE', message: record.problem ?? 'unreadable row' },
    });
  }

  /** The messages of one read: committed in one transaction, then all acked (duplicates too). */
  onMessages(contactId: string, session: Session, msgs: FrameOf<'msg'>[]): void {
    const fresh = this.messages.addIncomingMany(contactId, msgs);
    if (fresh.length > 0) this.deps.changed('messages', contactId);
    for (const record of fresh) {
      const size = Buffer.byteLength(record.text);
      this.deps.emit({
        conn: session.conn,
        dir: 'in',
        layer: 'app',
        kind: 'message.received',
        summary: `Message received (${size} bytes of text); acknowledging it.`,
        detail: { contactId, messageId: record.id, size },
      });
    }
    if (!session.closeInfo) session.sendMany(msgs.map((m): Frame => ({ type: 'ack', id: m.id })));
  }

  onAcks(contactId: string, ids: string[]): void {
    const changed = this.messages.markDeliveredMany(contactId, ids);
    if (changed.length === 0) return;
    this.deps.changed('messages', contactId);
    const conn = this.deps.links.of(contactId).connId;
    for (const messageId of changed) {
      this.deps.emit({
        conn,
        dir: 'in',
        layer: 'app',
        kind: 'message.delivered',
        summary: 'Delivered: the receiver acknowledged the message.',
        detail: { contactId, messageId },
      });
    }
  }
}
