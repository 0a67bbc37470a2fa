/**
 * Delivery: messages out of the outbox and onto a session, incoming messages committed before
 * they are acknowledged, acks turning "sent" into "delivered". The outbox is resent in order after
 * every reconnect; the receiver's store drops duplicates by id within the conversation, so each
 * message shows once.
 */
import type { EventInput } from '../../../shared/events';
import type { MessageView } from '../../../shared/views';
import type { MessageStore } from '../store/messages';
import type { FrameOf } from '../wire/protocol';
import type { Session } from '../wire/session';

export class Delivery {
  constructor(
    private readonly messages: MessageStore,
    private readonly events: { emit: (event: EventInput) => void },
    private readonly connIdOf: (contactId: string) => string | null,
  ) {}

  /** After a (re)connect: everything not yet acknowledged goes again, in the order it was written. */
  flushOutbox(contactId: string, session: Session): void {
    for (const record of this.messages.undelivered(contactId)) {
      if (record.problem) this.giveUp(contactId, session.conn, record);
      else this.transmit(contactId, session, record);
    }
  }

  transmit(contactId: string, session: Session, record: MessageView): void {
    session.send({ type: 'msg', id: record.id, at: record.sentAt, text: record.text });
    this.messages.markSent(contactId, record.id);
    this.events.emit({
      conn: session.conn,
      dir: 'out',
      layer: 'app',
      kind: 'message.sent',
      summary: `Message sent (${Buffer.byteLength(record.text)} bytes of text), waiting for the receiver's acknowledgement.`,
      detail: { contactId, messageId: record.id, size: Buffer.byteLength(record.text) },
    });
  }

  /** A stored outgoing message that cannot be opened is never sent as an empty one: it fails, loudly. */
  private giveUp(contactId: string, conn: string, record: MessageView): void {
    this.messages.markFailed(contactId, record.id);
    this.events.emit({
      conn,
      dir: 'local',
      layer: 'store',
      kind: 'app.error',
      summary: `A queued message could not be sent: its stored copy cannot be opened (${record.problem}). It is marked failed.`,
      detail: { code: 'ROW_UNREADABLE', message: record.problem ?? 'unreadable row' },
    });
  }

  onMessage(contactId: string, session: Session, msg: FrameOf<'msg'>): void {
    const record = this.messages.addIncoming(contactId, msg.id, msg.text, msg.at);
    if (record) {
      this.events.emit({
        conn: session.conn,
        dir: 'in',
        layer: 'app',
        kind: 'message.received',
        summary: `Message received (${Buffer.byteLength(msg.text)} bytes of text); acknowledging it.`,
        detail: { contactId, messageId: msg.id, size: Buffer.byteLength(msg.text) },
      });
    }
    session.send({ type: 'ack', id: msg.id });
  }

  onAck(contactId: string, id: string): void {
    if (!this.messages.markDelivered(contactId, id)) return;
    this.events.emit({
      conn: this.connIdOf(contactId),
      dir: 'in',
      layer: 'app',
      kind: 'message.delivered',
      summary: 'Delivered: the receiver acknowledged the message.',
      detail: { contactId, messageId: id },
    });
  }
}
