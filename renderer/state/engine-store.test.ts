import { describe, expect, it, vi } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { bobIdentity, bulkRecords, dialerSession, impostorSession, stamp } from '../test/fixtures';
import { EngineStore } from './engine-store';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function started(api = new FakeApi(), limit?: number) {
  api.identity ??= bobIdentity;
  const store = new EngineStore(api.asApi(), limit);
  return { api, store, ready: store.start() };
}

describe('engine store', () => {
  it('applies a 10,000-event burst in slices of one task each, losing nothing and keeping the order', async () => {
    const { api, store, ready } = started();
    await ready;
    const growth: number[] = [];
    let seen = 0;
    store.subscribe(() => {
      const now = store.getState().events.length;
      growth.push(now - seen);
      seen = now;
    });

    api.emit(stamp(bulkRecords('c1', 10_000)));
    // The first slice at once; the others in later tasks, so the window answers in between.
    expect(store.getState().events.length).toBeLessThan(10_000);
    await vi.waitFor(() => expect(store.getState().events).toHaveLength(10_000));
    expect(Math.max(...growth)).toBeLessThanOrEqual(1_000);
    const seqs = store.getState().events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('keeps only the newest events past its bound', async () => {
    const { api, store, ready } = started(new FakeApi(), 100);
    await ready;
    api.emit(stamp(bulkRecords('c1', 150)));
    api.emit(stamp(bulkRecords('c1', 30), 151));

    const seqs = store.getState().events.map((e) => e.seq);
    expect(seqs).toHaveLength(100);
    expect(seqs[0]).toBe(81);
    expect(seqs[99]).toBe(180);
  });

  it('loses nothing between subscribing and reading the backlog, and counts overlaps once', async () => {
    const api = new FakeApi();
    const all = stamp(dialerSession());
    api.backlog = all.slice(0, 10);
    const { store, ready } = started(api);
    // Arrives live before the backlog answer: overlaps the backlog on seq 9 and 10.
    api.emit(all.slice(8, 15));
    await ready;

    expect(store.getState().events.map((e) => e.seq)).toEqual(all.slice(0, 15).map((e) => e.seq));
  });

  it('subscribes before reading the backlog', async () => {
    const api = new FakeApi();
    const order: string[] = [];
    const onEvents = api.onEvents.bind(api);
    api.onEvents = (listener) => (order.push('subscribe'), onEvents(listener));
    const getBacklog = api.getEventBacklog;
    api.getEventBacklog = (arg) => (order.push('backlog'), getBacklog(arg));
    await started(api).ready;
    expect(order).toEqual(['subscribe', 'backlog']);
  });

  it('fetches contacts and requests again when events say they changed', async () => {
    const { api, store, ready } = started();
    await ready;
    api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready' })];
    const before = api.callsTo('listContacts').length;

    api.emit(stamp([{ conn: 'c1', dir: 'local', layer: 'app', kind: 'contact.changed', summary: 'online', detail: { contactId: 'alice', change: 'online' } }]));
    await settle();

    expect(api.callsTo('listContacts').length).toBe(before + 1);
    expect(store.getState().contacts.map((c) => c.state)).toEqual(['ready']);
  });

  it('collapses a burst of events into few fetches', async () => {
    const { api, ready } = started();
    await ready;
    const before = api.callsTo('listContacts').length;
    for (let i = 0; i < 20; i++) {
      api.emit(stamp([{ conn: 'c1', dir: 'local', layer: 'app', kind: 'contact.changed', summary: 'x', detail: { contactId: 'alice', change: 'updated' } }], 100 + i));
    }
    await settle();
    expect(api.callsTo('listContacts').length - before).toBeLessThanOrEqual(2);
  });

  it('turns a pin mismatch and its close into one alert', async () => {
    const { api, store, ready } = started();
    await ready;
    api.emit(stamp(impostorSession('c9')));
    expect(store.getState().alerts).toHaveLength(1);
    expect(store.getState().alerts[0]).toMatchObject({ conn: 'c9', contactName: 'Alice', dismissed: false });
  });

  it('reports a failed start with the engine sentence', async () => {
    const api = new FakeApi();
    api.failures.set('getIdentity', { code: 'IDENTITY_CORRUPT', message: 'The identity file is damaged.' });
    const store = new EngineStore(api.asApi());
    await store.start();
    expect(store.getState()).toMatchObject({ status: 'failed', startError: 'The identity file is damaged.' });
  });
});
