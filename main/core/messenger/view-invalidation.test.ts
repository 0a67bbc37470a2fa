import { afterEach, describe, expect, it } from 'vitest';

import type { EventBase } from '../../../shared/events';
import { Lab, type Peer } from '../../../test/helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

type Invalidation = EventBase<'view.invalidated'>;

const invalidations = (p: Peer): Invalidation[] => p.log.of('view.invalidated');
const views = (list: Invalidation[]) => list.map((e) => e.detail.view);

/** Bob asks about strangers; Alice dials him with his pin and sends one message, so she knocks. */
async function knock(aliceName: string): Promise<{ alice: Peer; bob: Peer; requestId: string }> {
  const bob = await lab.peer('Bob', { unknownPeers: 'ask' });
  const alice = await lab.peer(aliceName, { listen: false });
  const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
  alice.m.send(contact.id, 'hello');
  const pending = await bob.log.waitFor('trust.pending');
  return { alice, bob, requestId: pending.detail.requestId };
}

describe('view.invalidated from two real engines', () => {
  it('a knock invalidates the requests, and the decision the requests, contacts and nearby peers, with nothing of the stranger in them', async () => {
    const name = 'Zephyrine Knocker';
    const { alice, bob, requestId } = await knock(name);
    const knocked = await bob.log.waitMatch((e) => e.kind === 'view.invalidated' && e.detail.view === 'requests');
    expect(bob.m.requests().map((r) => r.id)).toEqual([requestId]);

    const before = invalidations(bob).length;
    const contact = bob.m.decide(requestId, 'trust')!;
    await bob.log.waitMatch((e) => e.kind === 'view.invalidated' && e.detail.view === 'contacts' && e.seq > knocked.seq);
    await bob.log.waitFor('conn.ready');
    const decided = invalidations(bob).slice(before);
    expect(views(decided)).toEqual(expect.arrayContaining(['requests', 'contacts', 'discovery']));
    expect(bob.m.contacts.byId(contact.id)).not.toBeNull();

    // Only the view's name (and for messages our own contact id): not the claimed name, not the pin.
    for (const e of invalidations(bob)) {
      expect(Object.keys(e.detail).every((k) => k === 'view' || k === 'contactId')).toBe(true);
      const text = JSON.stringify(e);
      expect(text).not.toContain(name);
      expect(text).not.toContain(alice.m.identity.pin);
    }
  });

  it('a batch of messages is one invalidation of that conversation per turn, sent after the messages are stored', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const bobForAlice = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin });
    await alice.m.connect(bobForAlice.id);
    const ready = await bob.log.waitFor('conn.ready');
    const aliceForBob = ready.detail.contactId;

    // What a renderer reading at each invalidation would see.
    const count = 200;
    const seen: number[] = [];
    const all = new Promise<void>((resolve) => {
      bob.m.events.subscribe((e) => {
        if (e.kind !== 'view.invalidated' || e.detail.view !== 'messages' || e.detail.contactId !== aliceForBob) return;
        seen.push(bob.m.messages.page(aliceForBob, undefined, 500).length);
        if (seen.at(-1) === count) resolve();
      });
    });
    for (let i = 0; i < count; i++) alice.m.send(bobForAlice.id, `message ${i}`);
    await bob.log.waitFor('message.received', () => true, { count });
    await all;

    expect(seen.at(-1)).toBe(count);
    // Fewer invalidations than messages: the reads and commits come in groups.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThan(count);
    // The sender's conversation is invalidated too (stored, then delivered), also far fewer times than messages.
    await alice.log.waitFor('message.delivered', () => true, { count });
    const sent = invalidations(alice).filter((e) => e.detail.view === 'messages' && e.detail.contactId === bobForAlice.id);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThan(count);
  });

  it('a key change raised (an impostor at the address) and ended invalidates the key changes each time', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false, timeouts: { retryInitialMs: 100, retryMaxMs: 400 } });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.send(contact.id, 'direct');
    await alice.log.waitFor('message.delivered');

    await alice.m.drills.startEve(contact.id, 'impostor');
    const detected = await alice.log.waitFor('trust.key-change', (e) => e.detail.resolution === 'detected');
    const raised = await alice.log.waitMatch((e) => e.kind === 'view.invalidated' && e.detail.view === 'keyChanges' && e.seq > detected.seq);
    expect(alice.m.keyChanges.list()).toHaveLength(1);

    await alice.m.drills.stopEve();
    await alice.log.waitMatch((e) => e.kind === 'view.invalidated' && e.detail.view === 'keyChanges' && e.seq > raised.seq);
    expect(alice.m.keyChanges.list()).toEqual([]);
  });
});
