/**
 * The conversation history of this run, in memory. Nothing is written to disk in plaintext:
 * persistent history comes with at-rest encryption (sealed rows in SQLite). Outgoing messages
 * stay "queued" or "sent" until the peer's ack; incoming ones are de-duplicated by id.
 */
import { randomUUID } from 'node:crypto';

import type { MessageView } from '../../../shared/views';

export type MessageRecord = MessageView & { unread: boolean };

export class MessageLog {
  private readonly byContact = new Map<string, MessageRecord[]>();
  private readonly byId = new Map<string, MessageRecord>();

  addOutgoing(contactId: string, text: string): MessageRecord {
    return this.insert({
      id: randomUUID(),
      contactId,
      direction: 'out',
      text,
      sentAt: new Date().toISOString(),
      receivedAt: null,
      deliveredAt: null,
      state: 'queued',
      unread: false,
    });
  }

  /** Record an incoming message; returns null if this id was already received (a resend). */
  addIncoming(contactId: string, id: string, text: string, sentAt: string): MessageRecord | null {
    if (this.byId.has(id)) return null;
    return this.insert({
      id,
      contactId,
      direction: 'in',
      text,
      sentAt,
      receivedAt: new Date().toISOString(),
      deliveredAt: null,
      state: 'received',
      unread: true,
    });
  }

  get(id: string): MessageRecord | null {
    return this.byId.get(id) ?? null;
  }

  markSent(id: string): void {
    const m = this.byId.get(id);
    if (m && m.state === 'queued') m.state = 'sent';
  }

  /** Returns the message if this ack changed its state (acks of unknown or delivered ids are ignored). */
  markDelivered(id: string, contactId: string): MessageRecord | null {
    const m = this.byId.get(id);
    if (!m || m.direction !== 'out' || m.contactId !== contactId || m.state === 'delivered') return null;
    m.state = 'delivered';
    m.deliveredAt = new Date().toISOString();
    return m;
  }

  /** Outgoing messages not yet acknowledged, oldest first: what to (re)send after a reconnect. */
  undelivered(contactId: string): MessageRecord[] {
    return (this.byContact.get(contactId) ?? []).filter((m) => m.direction === 'out' && m.state !== 'delivered');
  }

  /** One page, oldest first, ending just before `before` (a message id) or at the newest. */
  page(contactId: string, before: string | undefined, limit: number): MessageView[] {
    const all = this.byContact.get(contactId) ?? [];
    const end = before ? all.findIndex((m) => m.id === before) : all.length;
    const stop = end < 0 ? all.length : end;
    return all.slice(Math.max(0, stop - limit), stop).map(({ unread: _unread, ...view }) => view);
  }

  unreadCount(contactId: string): number {
    return (this.byContact.get(contactId) ?? []).reduce((n, m) => n + (m.unread ? 1 : 0), 0);
  }

  lastMessageAt(contactId: string): string | null {
    const all = this.byContact.get(contactId);
    return all && all.length > 0 ? all[all.length - 1]!.sentAt : null;
  }

  markRead(contactId: string): void {
    for (const m of this.byContact.get(contactId) ?? []) m.unread = false;
  }

  private insert(record: MessageRecord): MessageRecord {
    const list = this.byContact.get(record.contactId) ?? [];
    list.push(record);
    this.byContact.set(record.contactId, list);
    this.byId.set(record.id, record);
    return record;
  }
}
