/**
 * Conversations, messages and the outbox, with bodies sealed at rest. An outgoing message is
 * written together with its outbox entry in one transaction, stays in the outbox until the peer's
 * ack, and is resent in outbox order after a reconnect. An incoming message is committed before
 * it is acknowledged and de-duplicated by id, so a resend never shows twice. A message id is
 * unique within its conversation only (each peer picks its own ids; two may both send "m-1"), so
 * every lookup by id names the contact too.
 */
import { randomUUID } from 'node:crypto';

import type { MessageState, MessageView } from '../../../shared/views';
import type { Db } from './database';
import type { RowSealer } from './row-sealer';
import type { TrustMac } from './trust-mac';

/**
 * For `bench/main.ts` only: `commits: false` turns the message writes of the group-commit path
 * into no-ops (nothing reaches SQLite), so the benchmark can show what durability costs apart
 * from everything else. Not an option, not reachable from the app or the headless peer.
 */
export const storeInternals = { commits: true };

/** An outgoing message sealed and ready to be written (see OutgoingGroup). */
export interface StagedOutgoing {
  view: MessageView;
  conversationId: string;
  sealed: Buffer;
}

export interface IncomingFrame {
  id: string;
  text: string;
  at: string;
}

interface Row {
  n: number;
  id: string;
  conversation_id: string;
  contact_id: string;
  direction: 'out' | 'in';
  body_sealed: Buffer;
  sent_at: string;
  received_at: string | null;
  delivered_at: string | null;
  state: MessageState;
}

const SELECT = `SELECT m.*, c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id`;

export class MessageStore {
  private readonly conversationIds = new Map<string, string>();
  private readonly q;
  /** Called before the outbox or a message is read: writes what the current turn has staged (OutgoingGroup). */
  beforeRead: () => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly sealer: RowSealer,
    private readonly mac: TrustMac,
  ) {
    this.q = {
      conversation: db.prepare<[string], { id: string }>('SELECT id FROM conversations WHERE contact_id = ?'),
      newConversation: db.prepare('INSERT INTO conversations (id, contact_id, created_at, mac) VALUES (?, ?, ?, ?)'),
      insert: db.prepare(
        `INSERT OR IGNORE INTO messages (id, conversation_id, direction, body_sealed, sent_at, received_at, state, unread)
         VALUES (@id, @conversationId, @direction, @body, @sentAt, @receivedAt, @state, @unread)`,
      ),
      enqueue: db.prepare('INSERT INTO outbox (message_id, conversation_id, queued_at) VALUES (?, ?, ?)'),
      byId: db.prepare<[string, string], Row>(`${SELECT} WHERE m.conversation_id = ? AND m.id = ?`),
      setSent: db.prepare("UPDATE messages SET state = 'sent' WHERE conversation_id = ? AND id = ? AND state = 'queued'"),
      setFailed: db.prepare("UPDATE messages SET state = 'failed' WHERE conversation_id = ? AND id = ? AND direction = 'out'"),
      setDelivered: db.prepare(
        "UPDATE messages SET state = 'delivered', delivered_at = ? WHERE conversation_id = ? AND id = ? AND direction = 'out' AND state != 'delivered'",
      ),
      dequeue: db.prepare('DELETE FROM outbox WHERE conversation_id = ? AND message_id = ?'),
      outbox: db.prepare<[string], Row>(
        `${SELECT} JOIN outbox o ON o.conversation_id = m.conversation_id AND o.message_id = m.id WHERE m.conversation_id = ? ORDER BY o.n`,
      ),
      outboxCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE conversation_id = ?'),
      outboxContacts: db.prepare<[], { contact_id: string }>(
        'SELECT DISTINCT c.contact_id FROM outbox o JOIN conversations c ON c.id = o.conversation_id',
      ),
      newest: db.prepare<[string, number], Row>(`${SELECT} WHERE m.conversation_id = ? ORDER BY m.n DESC LIMIT ?`),
      olderThan: db.prepare<[string, string, string, number], Row>(
        `${SELECT} WHERE m.conversation_id = ? AND m.n < (SELECT n FROM messages WHERE conversation_id = ? AND id = ?) ORDER BY m.n DESC LIMIT ?`,
      ),
      unread: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ? AND unread = 1'),
      last: db.prepare<[string], { sent_at: string }>('SELECT sent_at FROM messages WHERE conversation_id = ? ORDER BY n DESC LIMIT 1'),
      markRead: db.prepare('UPDATE messages SET unread = 0 WHERE conversation_id = ? AND unread = 1'),
    };
  }

  /** The conversation of a contact, created on first use. */
  conversationOf(contactId: string): string {
    const cached = this.conversationIds.get(contactId);
    if (cached) return cached;
    let id = this.q.conversation.get(contactId)?.id;
    if (!id) {
      id = randomUUID();
      this.q.newConversation.run(id, contactId, new Date().toISOString(), this.mac.conversation(id, contactId));
    }
    this.conversationIds.set(contactId, id);
    return id;
  }

  /** The contact was removed (its rows went with it): drop the conversation id kept for it. */
  forgetContact(contactId: string): void {
    this.conversationIds.delete(contactId);
  }

  addOutgoing(contactId: string, text: string): MessageView {
    const conversationId = this.conversationOf(contactId);
    const id = randomUUID();
    const sentAt = new Date().toISOString();
    this.db.transaction(() => {
      this.q.insert.run({
        id,
        conversationId,
        direction: 'out',
        body: this.sealer.seal(text, { table: 'messages', rowId: id, conversationId }),
        sentAt,
        receivedAt: null,
        state: 'queued',
        unread: 0,
      });
      this.q.enqueue.run(id, conversationId, sentAt);
    })();
    return { id, contactId, direction: 'out', text, sentAt, receivedAt: null, deliveredAt: null, state: 'queued', problem: null };
  }

  /** Seal an outgoing message without writing it yet: `addOutgoingMany` commits a turn's worth at once. */
  stageOutgoing(contactId: string, text: string): StagedOutgoing {
    const conversationId = this.conversationOf(contactId);
    const id = randomUUID();
    const sentAt = new Date().toISOString();
    const sealed = this.sealer.seal(text, { table: 'messages', rowId: id, conversationId });
    const view: MessageView = { id, contactId, direction: 'out', text, sentAt, receivedAt: null, deliveredAt: null, state: 'queued', problem: null };
    return { view, conversationId, sealed };
  }

  /**
   * Messages and their outbox entries, all in one transaction (all or none). `sending`: the
   * contacts whose messages are handed to a live connection right after this commit, in the same
   * turn; those are written as "sent" at once (still in the outbox until their ack), which saves
   * a second transaction per message.
   */
  addOutgoingMany(staged: readonly StagedOutgoing[], sending: (contactId: string) => boolean = () => false): void {
    if (staged.length === 0 || !storeInternals.commits) return;
    this.db.transaction(() => {
      for (const s of staged) {
        const { id, sentAt } = s.view;
        const state = sending(s.view.contactId) ? 'sent' : 'queued';
        this.q.insert.run({ id, conversationId: s.conversationId, direction: 'out', body: s.sealed, sentAt, receivedAt: null, state, unread: 0 });
        this.q.enqueue.run(id, s.conversationId, sentAt);
      }
    })();
  }

  /**
   * Commit the messages of one read in one transaction; returns those that are new (an id already
   * stored in this conversation, or twice in the batch, is a resend after a lost ack).
   */
  addIncomingMany(contactId: string, frames: readonly IncomingFrame[]): MessageView[] {
    const conversationId = this.conversationOf(contactId);
    const receivedAt = new Date().toISOString();
    const rows = frames.map((f) => ({
      id: f.id,
      conversationId,
      direction: 'in' as const,
      body: this.sealer.seal(f.text, { table: 'messages', rowId: f.id, conversationId }),
      sentAt: f.at,
      receivedAt,
      state: 'received' as const,
      unread: 1,
    }));
    const fresh = storeInternals.commits
      ? this.db.transaction(() => rows.map((row) => this.q.insert.run(row).changes === 1))()
      : rows.map(() => true);
    const out: MessageView[] = [];
    frames.forEach((f, i) => {
      if (fresh[i]) out.push({ id: f.id, contactId, direction: 'in', text: f.text, sentAt: f.at, receivedAt, deliveredAt: null, state: 'received', problem: null });
    });
    return out;
  }

  markSentMany(contactId: string, ids: readonly string[]): void {
    if (ids.length === 0 || !storeInternals.commits) return;
    const conversationId = this.conversationOf(contactId);
    this.db.transaction(() => {
      for (const id of ids) this.q.setSent.run(conversationId, id);
    })();
  }

  /**
   * Apply acks that arrived together in one transaction; returns the ids this changed (see
   * markDelivered for which acks change nothing). Nothing is read back: the caller has the ids.
   */
  markDeliveredMany(contactId: string, ids: readonly string[]): string[] {
    if (!storeInternals.commits) return [...ids];
    const conversationId = this.conversationOf(contactId);
    const at = new Date().toISOString();
    return this.db.transaction(() => {
      const changed: string[] = [];
      for (const id of ids) {
        const r = this.q.setDelivered.run(at, conversationId, id);
        if (r.changes !== 1) continue;
        this.q.dequeue.run(conversationId, id);
        changed.push(id);
      }
      return changed;
    })();
  }

  /** Commit an incoming message; returns null for an id already stored in this conversation (a resend after a lost ack). */
  addIncoming(contactId: string, id: string, text: string, sentAt: string): MessageView | null {
    const conversationId = this.conversationOf(contactId);
    const receivedAt = new Date().toISOString();
    const result = this.q.insert.run({
      id,
      conversationId,
      direction: 'in',
      body: this.sealer.seal(text, { table: 'messages', rowId: id, conversationId }),
      sentAt,
      receivedAt,
      state: 'received',
      unread: 1,
    });
    if (result.changes !== 1) return null;
    return { id, contactId, direction: 'in', text, sentAt, receivedAt, deliveredAt: null, state: 'received', problem: null };
  }

  /** The message with this id in the conversation with this contact. */
  get(contactId: string, id: string): MessageView | null {
    this.beforeRead();
    const row = this.q.byId.get(this.conversationOf(contactId), id);
    return row ? this.view(row) : null;
  }

  markSent(contactId: string, id: string): void {
    this.q.setSent.run(this.conversationOf(contactId), id);
  }

  /**
   * Returns the message if this ack changed it. An ack only ever names a message of the contact
   * it came from: acks for unknown, foreign, incoming or already delivered ids do nothing.
   */
  markDelivered(contactId: string, id: string): MessageView | null {
    const conversationId = this.conversationOf(contactId);
    const changed = this.db.transaction(() => {
      const r = this.q.setDelivered.run(new Date().toISOString(), conversationId, id);
      this.q.dequeue.run(conversationId, id);
      return r.changes === 1;
    })();
    return changed ? this.get(contactId, id) : null;
  }

  /** Give up on an outgoing message that can no longer be sent (its stored row cannot be opened). */
  markFailed(contactId: string, id: string): void {
    const conversationId = this.conversationOf(contactId);
    this.db.transaction(() => {
      this.q.setFailed.run(conversationId, id);
      this.q.dequeue.run(conversationId, id);
    })();
  }

  /** The outbox of a contact, in the order the messages were written. */
  undelivered(contactId: string): MessageView[] {
    this.beforeRead();
    return this.q.outbox.all(this.conversationOf(contactId)).map((r) => this.view(r));
  }

  queuedCount(contactId: string): number {
    this.beforeRead();
    return this.q.outboxCount.get(this.conversationOf(contactId))?.n ?? 0;
  }

  contactsWithOutbox(): string[] {
    this.beforeRead();
    return this.q.outboxContacts.all().map((r) => r.contact_id);
  }

  /** One page, oldest first: the newest `limit` messages, or those just before `before` (an id). */
  page(contactId: string, before: string | undefined, limit: number): MessageView[] {
    this.beforeRead();
    const conversationId = this.conversationOf(contactId);
    const rows = before ? this.q.olderThan.all(conversationId, conversationId, before, limit) : this.q.newest.all(conversationId, limit);
    return rows.reverse().map((r) => this.view(r));
  }

  unreadCount(contactId: string): number {
    return this.q.unread.get(this.conversationOf(contactId))?.n ?? 0;
  }

  lastMessageAt(contactId: string): string | null {
    return this.q.last.get(this.conversationOf(contactId))?.sent_at ?? null;
  }

  markRead(contactId: string): void {
    this.q.markRead.run(this.conversationOf(contactId));
  }

  /** A row that cannot be opened becomes a message with empty text and a problem: never a crash. */
  private view(row: Row): MessageView {
    let text = '';
    let problem: string | null = null;
    try {
      text = this.sealer.open(row.body_sealed, { table: 'messages', rowId: row.id, conversationId: row.conversation_id });
    } catch (err) {
      problem = (err as Error).message;
    }
    return {
      id: row.id,
      contactId: row.contact_id,
      direction: row.direction,
      text,
      sentAt: row.sent_at,
      receivedAt: row.received_at,
      deliveredAt: row.delivered_at,
      state: row.state,
      problem,
    };
  }
}
