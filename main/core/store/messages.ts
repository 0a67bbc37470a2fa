/**
 * Conversations, messages and the outbox, with bodies sealed at rest. The outbox is the outgoing
 * messages not yet acknowledged (queued or sent, a partial index keeps them at hand): a message is
 * in it from the commit that writes it until the peer's ack, and is resent in the order written
 * after a reconnect. An incoming message is committed before
 * it is acknowledged and de-duplicated by id, so a resend never shows twice. A message id is
 * unique within its conversation only (each peer picks its own ids; two may both send "m-1"), so
 * every lookup by id names the contact too.
 */
import { randomUUID } from 'node:crypto';

import { v7 as timeOrderedUuid } from 'uuid';


import type { MessageState, MessageView } from '../../../shared/views';
import type { Db } from './database';
import type { RowSealer } from './row-sealer';
import type { TrustMac } from './trust-mac';
import { pooledRandom } from './random-pool';

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
/** Which messages are the outbox: the condition of the messages_outbox index (migrations.ts, 5). */
const IN_OUTBOX = `m.direction = 'out' AND m.state IN ('queued', 'sent')`;

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
      byId: db.prepare<[string, string], Row>(`${SELECT} WHERE m.conversation_id = ? AND m.id = ?`),
      setSent: db.prepare("UPDATE messages SET state = 'sent' WHERE conversation_id = ? AND id = ? AND state = 'queued'"),
      setFailed: db.prepare("UPDATE messages SET state = 'failed' WHERE conversation_id = ? AND id = ? AND direction = 'out'"),
      setDelivered: db.prepare(
        "UPDATE messages SET state = 'delivered', delivered_at = ? WHERE conversation_id = ? AND id = ? AND direction = 'out' AND state != 'delivered'",
      ),
      outbox: db.prepare<[string], Row>(`${SELECT} WHERE m.conversation_id = ? AND ${IN_OUTBOX} ORDER BY m.n`),
      outboxCount: db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM messages m WHERE m.conversation_id = ? AND ${IN_OUTBOX}`),
      outboxContacts: db.prepare<[], { contact_id: string }>(
        `SELECT DISTINCT c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE ${IN_OUTBOX}`,
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
    const id = newMessageId();
    const sentAt = new Date().toISOString();
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
    return { id, contactId, direction: 'out', text, sentAt, receivedAt: null, deliveredAt: null, state: 'queued', problem: null };
  }

  /** Seal an outgoing message without writing it yet: `addOutgoingMany` commits a turn's worth at once. */
  stageOutgoing(contactId: string, text: string): StagedOutgoing {
    const conversationId = this.conversationOf(contactId);
    const id = newMessageId();
    const sentAt = new Date().toISOString();
    const sealed = this.sealer.seal(text, { table: 'messages', rowId: id, conversationId });
    const view: MessageView = { id, contactId, direction: 'out', text, sentAt, receivedAt: null, deliveredAt: null, state: 'queued', problem: null };
    return { view, conversationId, sealed };
  }

  /**
   * Outgoing messages (each in the outbox from here on), all in one transaction (all or none). `sending`: the
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
        if (this.q.setDelivered.run(at, conversationId, id).changes === 1) changed.push(id);
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
    const changed = this.q.setDelivered.run(new Date().toISOString(), conversationId, id).changes === 1;
    return changed ? this.get(contactId, id) : null;
  }

  /** Give up on an outgoing message that can no longer be sent (its stored row cannot be opened). */
  markFailed(contactId: string, id: string): void {
    const conversationId = this.conversationOf(contactId);
    this.q.setFailed.run(conversationId, id);
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

/**
 * A new message's id: a UUIDv7, time-ordered, so each side's index over message ids grows at its
 * end instead of at a random page (a random v4 id dirtied a page per insert and doubled the cost of
 * a commit). The time in it says no more than the message's `sentAt`, which travels beside it.
 */
function newMessageId(): string {
  return timeOrderedUuid({ random: pooledRandom(16) });
}
