import { describe, expect, it, vi } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { bobIdentity, bulkRecords, dialerSession, impostorSession, stamp } from '../test/fixtures';
import { EngineStore } from './engine-store';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const READS = ['getIdentity', 'getNetwork', 'listContacts', 'listRequests', 'listKeyChanges', 'getDiscovery', 'getAtRest', 'listMessages'] as const;

/** How often each of the store's reads has been called so far. */
function readCounts(api: FakeApi): Record<(typeof READS)[number], number> {
  return Object.fromEntries(READS.map((name) => [name, api.callsTo(name).length])) as Record<(typeof READS)[number], number>;
}

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

  it('reads a view again when the engine invalidates it, and only that view', async () => {
    const { api, store, ready } = started();
    await ready;
    api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready' })];
    const before = readCounts(api);

    api.invalidate(['contacts']);
    await settle();

    expect(readCounts(api)).toEqual({ ...before, listContacts: before.listContacts + 1 });
    expect(store.getState().contacts.map((c) => c.state)).toEqual(['ready']);
  });

  it('reads each invalidated view: requests, key changes, nearby peers, network, identity', async () => {
    const { api, store, ready } = started();
    await ready;
    const before = readCounts(api);
    api.keyChanges = [];
    api.discovery = { ...api.discovery, interface: '192.0.2.10' };

    api.invalidate(['requests', 'keyChanges', 'discovery', 'network', 'identity']);
    await settle();

    expect(readCounts(api)).toEqual({
      ...before,
      listRequests: before.listRequests + 1,
      listKeyChanges: before.listKeyChanges + 1,
      getDiscovery: before.getDiscovery + 1,
      getNetwork: before.getNetwork + 1,
      getIdentity: before.getIdentity + 1,
    });
    expect(store.getState().discovery.interface).toBe('192.0.2.10');
  });

  it('reads nothing again for events that change state but invalidate no view', async () => {
    const { api, store, ready } = started();
    await ready;
    void store.watchMessages('alice');
    await settle();
    const before = readCounts(api);

    api.emit(stamp([
      { conn: 'c1', dir: 'local', layer: 'store', kind: 'contact.changed', summary: 'online', detail: { contactId: 'alice', change: 'online' } },
      { conn: 'c1', dir: 'in', layer: 'app', kind: 'message.received', summary: 'in', detail: { contactId: 'alice', messageId: 'm1', size: 2 } },
      { conn: 'c1', dir: 'local', layer: 'trust', kind: 'trust.pending', summary: 'knock', detail: { requestId: 'r1', pin: 'sha256/x', claimedName: 'X', claimsKnownName: false } },
    ], 300));
    await settle();

    expect(readCounts(api)).toEqual(before);
  });

  it('reads a conversation again only if its chat is kept', async () => {
    const { api, store, ready } = started();
    await ready;
    void store.watchMessages('alice');
    await settle();
    const before = api.callsTo('listMessages').length;

    api.invalidate(['messages'], { contactId: 'carol' });
    await settle();
    expect(api.callsTo('listMessages')).toHaveLength(before);

    api.invalidate(['messages'], { contactId: 'alice' });
    await settle();
    expect(api.callsTo('listMessages').slice(before)).toEqual([{ contactId: 'alice', limit: 100 }]);
  });

  it('collapses a burst of invalidations into few reads', async () => {
    const { api, ready } = started();
    await ready;
    const before = api.callsTo('listContacts').length;
    for (let i = 0; i < 20; i++) api.invalidate(['contacts'], { seq: 100 + i });
    await settle();
    expect(api.callsTo('listContacts').length - before).toBeGreaterThanOrEqual(1);
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
