import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { DATABASE_FILE } from './database';
import { openStore, type Store } from './store';

const dirs: string[] = [];
const handles: Array<{ close(): unknown; open: boolean }> = [];
afterAll(() => {
  for (const h of handles) if (h.open) h.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-messages-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string): Store {
  const store = openStore(dir);
  handles.push(store.db);
  return store;
}

/** A second, independent connection to the same file: what another process would see. */
function peek<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const pin = (n: number) => `sha256/${Buffer.alloc(32, n).toString('base64')}`;

function fresh(): { dir: string; store: Store; alice: string; bob: string } {
  const dir = tempDir();
  const store = open(dir);
  const alice = store.contacts.add({ name: 'Alice', pin: pin(1), address: '127.0.0.1:1' }).contact.id;
  const bob = store.contacts.add({ name: 'Bob', pin: pin(2), address: '127.0.0.1:2' }).contact.id;
  return { dir, store, alice, bob };
}

const texts = (list: Array<{ text: string }>) => list.map((m) => m.text);

describe('MessageStore: the outbox', () => {
  it('holds outgoing messages in the order they were written, per contact, until each is acknowledged', () => {
    const { store, alice, bob } = fresh();
    const written = ['one', 'two', 'three', 'four', 'five'].map((t) => store.messages.addOutgoing(alice, t));
    store.messages.addOutgoing(bob, 'for bob');
    expect(written.every((m) => m.state === 'queued' && m.direction === 'out' && m.contactId === alice)).toBe(true);
    expect(texts(store.messages.undelivered(alice))).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(texts(store.messages.undelivered(bob))).toEqual(['for bob']);
    expect(store.messages.queuedCount(alice)).toBe(5);
    expect(store.messages.contactsWithOutbox().sort()).toEqual([alice, bob].sort());

    // Acknowledged out of order: the rest keeps its order.
    expect(store.messages.markDelivered(alice, written[2]!.id)).toMatchObject({ state: 'delivered' });
    expect(store.messages.markDelivered(alice, written[0]!.id)).toMatchObject({ state: 'delivered' });
    expect(texts(store.messages.undelivered(alice))).toEqual(['two', 'four', 'five']);
    expect(store.messages.queuedCount(alice)).toBe(3);
  });

  it('keeps the outbox and its order across a close and reopen', () => {
    const { dir, store, alice, bob } = fresh();
    const written = Array.from({ length: 20 }, (_, i) => store.messages.addOutgoing(alice, `queued #${i}`));
    store.messages.markSent(alice, written[0]!.id);
    store.messages.markDelivered(alice, written[5]!.id);
    store.db.close();
    const reopened = open(dir);
    const expected = written.filter((_, i) => i !== 5).map((m) => m.id);
    expect(reopened.messages.undelivered(alice).map((m) => m.id)).toEqual(expected);
    expect(reopened.messages.contactsWithOutbox()).toEqual([alice]);
    expect(reopened.messages.undelivered(bob)).toEqual([]);
    reopened.db.close();
  });

  it('commits an outgoing message into the outbox: both are on disk when addOutgoing returns', () => {
    const { dir, store, alice } = fresh();
    const msg = store.messages.addOutgoing(alice, 'durable');
    const seen = peek(dir, (db) => ({
      message: db.prepare('SELECT state FROM messages WHERE id = ?').get(msg.id),
      outbox: db.prepare("SELECT COUNT(*) AS n FROM messages INDEXED BY messages_outbox WHERE direction = 'out' AND state IN ('queued', 'sent') AND id = ?").get(msg.id),
    }));
    expect(seen).toEqual({ message: { state: 'queued' }, outbox: { n: 1 } });
    store.db.close();
  });
});

describe('MessageStore: states', () => {
  it('queued → sent → delivered, each state surviving a reopen', () => {
    const { dir, store, alice } = fresh();
    const msg = store.messages.addOutgoing(alice, 'state machine');
    expect(msg).toMatchObject({ state: 'queued', deliveredAt: null, problem: null });
    store.db.close();

    let s = open(dir);
    expect(s.messages.get(alice, msg.id)?.state).toBe('queued');
    s.messages.markSent(alice, msg.id);
    s.db.close();

    s = open(dir);
    expect(s.messages.get(alice, msg.id)?.state).toBe('sent');
    expect(s.messages.undelivered(alice).map((m) => m.id), 'a sent message stays in the outbox until acked').toEqual([msg.id]);
    const delivered = s.messages.markDelivered(alice, msg.id);
    expect(delivered).toMatchObject({ id: msg.id, state: 'delivered', deliveredAt: expect.any(String) });
    s.db.close();

    s = open(dir);
    expect(s.messages.get(alice, msg.id)).toMatchObject({ state: 'delivered', deliveredAt: delivered!.deliveredAt, text: 'state machine' });
    expect(s.messages.undelivered(alice)).toEqual([]);
    expect(s.messages.contactsWithOutbox()).toEqual([]);
    s.db.close();
  });

  it('never goes backwards: markSent after delivery, a second ack, an ack from another contact or for an unknown id change nothing', () => {
    const { store, alice, bob } = fresh();
    const msg = store.messages.addOutgoing(alice, 'once');
    expect(store.messages.markDelivered(bob, msg.id), 'ack from the wrong contact').toBeNull();
    expect(store.messages.get(alice, msg.id)?.state).toBe('queued');
    expect(store.messages.undelivered(alice)).toHaveLength(1);
    expect(store.messages.markDelivered(alice, 'no-such-id')).toBeNull();
    expect(store.messages.markDelivered(alice, msg.id)?.state).toBe('delivered');
    expect(store.messages.markDelivered(alice, msg.id), 'a second ack').toBeNull();
    store.messages.markSent(alice, msg.id);
    expect(store.messages.get(alice, msg.id)?.state).toBe('delivered');
    // An incoming message cannot be "delivered" by an ack.
    const incoming = store.messages.addIncoming(alice, 'in-1', 'hi', new Date().toISOString());
    expect(store.messages.markDelivered(alice, incoming!.id)).toBeNull();
    expect(store.messages.get(alice, 'in-1')?.state).toBe('received');
  });
});

describe('MessageStore: incoming messages', () => {
  it('commits an incoming message before returning it (another connection sees it at once)', () => {
    const { dir, store, alice } = fresh();
    const at = new Date().toISOString();
    const msg = store.messages.addIncoming(alice, 'in-commit', 'committed first', at);
    expect(msg).toMatchObject({ id: 'in-commit', direction: 'in', state: 'received', text: 'committed first', sentAt: at, receivedAt: expect.any(String) });
    expect(peek(dir, (db) => db.prepare('SELECT COUNT(*) FROM messages WHERE id = ?').pluck().get('in-commit'))).toBe(1);
    store.db.close();
  });

  it('de-duplicates by id: the same id a second time returns null and keeps the first text', () => {
    const { dir, store, alice } = fresh();
    const at = new Date().toISOString();
    expect(store.messages.addIncoming(alice, 'dup-1', 'first copy', at)).not.toBeNull();
    expect(store.messages.addIncoming(alice, 'dup-1', 'first copy', at)).toBeNull();
    expect(store.messages.addIncoming(alice, 'dup-1', 'a different text under the same id', at)).toBeNull();
    expect(store.messages.get(alice, 'dup-1')?.text).toBe('first copy');
    expect(store.messages.page(alice, undefined, 10)).toHaveLength(1);
    expect(store.messages.unreadCount(alice)).toBe(1);
    store.db.close();
    // Also after a restart (the resend after a lost ack usually comes after one).
    const again = open(dir);
    expect(again.messages.addIncoming(alice, 'dup-1', 'first copy', at)).toBeNull();
    expect(again.messages.page(alice, undefined, 10)).toHaveLength(1);
    again.db.close();
  });

  it('counts unread incoming messages and clears them on markRead', () => {
    const { store, alice, bob } = fresh();
    const at = new Date().toISOString();
    store.messages.addIncoming(alice, 'u1', 'a', at);
    store.messages.addIncoming(alice, 'u2', 'b', at);
    store.messages.addIncoming(bob, 'u3', 'c', at);
    store.messages.addOutgoing(alice, 'mine');
    expect(store.messages.unreadCount(alice)).toBe(2);
    expect(store.messages.unreadCount(bob)).toBe(1);
    store.messages.markRead(alice);
    expect(store.messages.unreadCount(alice)).toBe(0);
    expect(store.messages.unreadCount(bob)).toBe(1);
  });
});

describe('MessageStore: paging', () => {
  it('newest page first; `before` walks back without overlap or gap to the very first message', () => {
    const { store, alice, bob } = fresh();
    const at = new Date().toISOString();
    const all: string[] = [];
    for (let i = 0; i < 237; i += 1) {
      // Both directions, interleaved with another conversation that must not show up.
      const m = i % 3 === 0 ? store.messages.addIncoming(alice, `in-${i}`, `#${i}`, at)! : store.messages.addOutgoing(alice, `#${i}`);
      all.push(m.id);
      if (i % 10 === 0) store.messages.addOutgoing(bob, `bob #${i}`);
    }
    const first = store.messages.page(alice, undefined, 50);
    expect(first.map((m) => m.id), 'the newest page, oldest first').toEqual(all.slice(-50));
    expect(texts(first).at(-1)).toBe('#236');

    const seen: string[][] = [first.map((m) => m.id)];
    let before = first[0]!.id;
    for (;;) {
      const page = store.messages.page(alice, before, 50);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(50);
      seen.unshift(page.map((m) => m.id));
      before = page[0]!.id;
      expect(seen.length, 'paging does not end').toBeLessThan(10);
    }
    expect(seen.map((p) => p.length)).toEqual([37, 50, 50, 50, 50]);
    expect(seen.flat(), 'all pages together: every message once, in order').toEqual(all);
    expect(store.messages.page(alice, all[0], 50)).toEqual([]);
    expect(store.messages.page(bob, undefined, 100).every((m) => m.text.startsWith('bob '))).toBe(true);
  });

  it('pages of other sizes, and a conversation with no messages', () => {
    const { store, alice, bob } = fresh();
    const ids = Array.from({ length: 7 }, (_, i) => store.messages.addOutgoing(alice, `m${i}`).id);
    expect(store.messages.page(alice, undefined, 3).map((m) => m.id)).toEqual(ids.slice(4));
    expect(store.messages.page(alice, ids[4], 3).map((m) => m.id)).toEqual(ids.slice(1, 4));
    expect(store.messages.page(alice, ids[1], 3).map((m) => m.id)).toEqual(ids.slice(0, 1));
    expect(store.messages.page(alice, undefined, 100).map((m) => m.id)).toEqual(ids);
    expect(store.messages.page(bob, undefined, 50)).toEqual([]);
    expect(store.messages.lastMessageAt(bob)).toBeNull();
    expect(store.messages.lastMessageAt(alice)).toEqual(expect.any(String));
  });

  it('a sealed body copied into another row shows as a problem in that row only, never as the other text', () => {
    const { store, alice } = fresh();
    const a = store.messages.addOutgoing(alice, 'text of A');
    const b = store.messages.addOutgoing(alice, 'text of B');
    const c = store.messages.addOutgoing(alice, 'text of C');
    const blobA = store.db.prepare('SELECT body_sealed FROM messages WHERE id = ?').pluck().get(a.id) as Buffer;
    store.db.prepare('UPDATE messages SET body_sealed = ? WHERE id = ?').run(blobA, b.id);
    const page = store.messages.page(alice, undefined, 10);
    expect(page.map((m) => [m.id, m.text, m.problem === null])).toEqual([
      [a.id, 'text of A', true],
      [b.id, '', false],
      [c.id, 'text of C', true],
    ]);
    expect(page[1]!.problem).toMatch(/cannot be opened/);
  });
});
