/**
 * Group commit: a turn's outgoing messages in one transaction, committed before they are handed
 * on; the messages and the acks of one read applied together. What another connection to the
 * same file sees is what a crash at that instant would leave behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import type { MessageView } from '../../../shared/views';
import { DATABASE_FILE } from './database';
import { OutgoingGroup } from './outgoing-group';
import { openStore, type Store } from './store';

const dirs: string[] = [];
const stores: Store[] = [];
afterAll(() => {
  for (const s of stores) if (s.db.open) s.db.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pin = (n: number) => `sha256/${Buffer.alloc(32, n).toString('base64')}`;

function fresh(): { dir: string; store: Store; alice: string; bob: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-group-'));
  dirs.push(dir);
  const store = openStore(dir);
  stores.push(store);
  const alice = store.contacts.add({ name: 'Alice', pin: pin(1), address: '127.0.0.1:1' }).contact.id;
  const bob = store.contacts.add({ name: 'Bob', pin: pin(2), address: '127.0.0.1:2' }).contact.id;
  return { dir, store, alice, bob };
}

/** Rows another process would find in the file right now. */
function onDisk(dir: string): Array<{ id: string; direction: string; state: string; queued: number }> {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare<[], { id: string; direction: string; state: string; queued: number }>(
        "SELECT m.id, m.direction, m.state, (m.n IN (SELECT n FROM messages INDEXED BY messages_outbox WHERE direction = 'out' AND state IN ('queued', 'sent'))) AS queued FROM messages m ORDER BY m.n",
      )
      .all();
  } finally {
    db.close();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('outgoing group commit', () => {
  it('writes the messages of one turn at its end, in order, and hands them on only once they are on disk', async () => {
    const { dir, store, alice, bob } = fresh();
    const handedOn: Array<{ ids: string[]; seenOnDisk: string[] }> = [];
    const group = new OutgoingGroup(store.messages, {
      onCommitted: (views) => handedOn.push({ ids: views.map((v) => v.id), seenOnDisk: onDisk(dir).map((r) => r.id) }),
      onFailed: (_views, err) => {
        throw err;
      },
    });
    const sent: MessageView[] = [];
    for (let i = 0; i < 50; i++) sent.push(group.add(i % 5 === 0 ? bob : alice, `burst ${i}`));
    expect(onDisk(dir), 'nothing is written before the turn ends').toEqual([]);
    let storedBeforeHandOn = false;
    group.afterCommit(() => (storedBeforeHandOn = handedOn.length === 0 && onDisk(dir).length === 50));
    await nextTurn();
    const ids = sent.map((v) => v.id);
    expect(handedOn).toHaveLength(1);
    expect(handedOn[0]!.ids).toEqual(ids);
    expect(handedOn[0]!.seenOnDisk).toEqual(ids);
    expect(storedBeforeHandOn, 'afterCommit runs once stored, before the hand-on').toBe(true);
    expect(onDisk(dir).every((r) => r.direction === 'out' && r.state === 'queued' && r.queued === 1)).toBe(true);
    expect(store.messages.undelivered(alice).map((m) => m.text)).toEqual(sent.filter((v) => v.contactId === alice).map((v) => v.text));
  });

  it('lets a read in the same turn see the staged messages, and a contact whose outbox was taken is not handed on twice', async () => {
    const { store, alice, bob } = fresh();
    const handedOn: string[] = [];
    const group = new OutgoingGroup(store.messages, { onCommitted: (views) => handedOn.push(...views.map((v) => v.text)), onFailed: () => undefined });
    store.messages.beforeRead = () => group.commit();
    group.add(alice, 'to alice');
    group.add(bob, 'to bob');
    expect(store.messages.queuedCount(alice)).toBe(1);
    group.takeCommitted(alice);
    await nextTurn();
    expect(handedOn).toEqual(['to bob']);
  });

  it('writes the messages of a contact with a live connection as "sent" in the same transaction, still in the outbox', async () => {
    const { dir, store, alice, bob } = fresh();
    const group = new OutgoingGroup(store.messages, { sending: (contactId) => contactId === alice, onCommitted: () => undefined, onFailed: () => undefined });
    const a = group.add(alice, 'to a live connection');
    const b = group.add(bob, 'to nobody yet');
    await nextTurn();
    const rows = new Map(onDisk(dir).map((r) => [r.id, r]));
    expect(rows.get(a.id)).toMatchObject({ state: 'sent', queued: 1 });
    expect(rows.get(b.id)).toMatchObject({ state: 'queued', queued: 1 });
  });

  it('reports a failed transaction and hands nothing on', async () => {
    const { store, alice } = fresh();
    const failed: string[] = [];
    const handedOn: string[] = [];
    const group = new OutgoingGroup(store.messages, {
      onCommitted: (views) => handedOn.push(...views.map((v) => v.id)),
      onFailed: (views) => failed.push(...views.map((v) => v.id)),
    });
    const view = group.add(alice, 'doomed');
    let told: ReadonlySet<string> = new Set();
    group.afterCommit((f) => (told = f));
    store.db.close();
    await nextTurn();
    expect(failed).toEqual([view.id]);
    expect([...told]).toEqual([view.id]);
    expect(handedOn).toEqual([]);
  });
});

describe('incoming messages and acks of one read', () => {
  it('commits the new messages of a read together and returns only those, dropping resends and repeats within the read', () => {
    const { dir, store, alice, bob } = fresh();
    const at = new Date().toISOString();
    expect(store.messages.addIncomingMany(alice, [{ id: 'a', text: 'A', at }]).map((m) => m.id)).toEqual(['a']);
    const fresh2 = store.messages.addIncomingMany(alice, [
      { id: 'a', text: 'A again', at },
      { id: 'b', text: 'B', at },
      { id: 'b', text: 'B twice in one read', at },
      { id: 'c', text: 'C', at },
    ]);
    expect(fresh2.map((m) => [m.id, m.text])).toEqual([
      ['b', 'B'],
      ['c', 'C'],
    ]);
    // The same ids from another contact are other messages.
    expect(store.messages.addIncomingMany(bob, [{ id: 'a', text: 'Bob A', at }])).toHaveLength(1);
    expect(onDisk(dir).map((r) => r.id)).toEqual(['a', 'b', 'c', 'a']);
    expect(store.messages.page(alice, undefined, 10).map((m) => m.text)).toEqual(['A', 'B', 'C']);
  });

  it('applies the acks of a read together: only outgoing, undelivered messages of that contact change', () => {
    const { store, alice, bob } = fresh();
    const a1 = store.messages.addOutgoing(alice, 'one');
    const a2 = store.messages.addOutgoing(alice, 'two');
    const b1 = store.messages.addOutgoing(bob, 'bob one');
    const incoming = store.messages.addIncoming(alice, 'in-1', 'from alice', new Date().toISOString())!;
    const changed = store.messages.markDeliveredMany(alice, [a1.id, b1.id, incoming.id, 'nope', a2.id, a1.id]);
    expect(changed).toEqual([a1.id, a2.id]);
    expect(store.messages.undelivered(alice)).toEqual([]);
    expect(store.messages.undelivered(bob).map((m) => m.id)).toEqual([b1.id]);
    expect(store.messages.get(alice, a2.id)?.state).toBe('delivered');
    expect(store.messages.markDeliveredMany(alice, [a1.id])).toEqual([]);
  });
});
