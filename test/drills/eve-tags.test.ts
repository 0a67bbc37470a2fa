/**
 * Front ends tell Eve's connections from this side's own by a typed tag on the events, never by
 * connection ids. Real engines, Eve as the impostor (two legs) and as a relay: every event of
 * hers carries her relay and leg, and no event of this side's own connections does.
 */
import { afterEach, describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

/** The tags seen on each connection's events (a connection must never carry two). */
function tagsByConn(events: readonly LockstepEvent[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const e of events) {
    if (!e.conn) continue;
    const tags = map.get(e.conn) ?? new Set<string>();
    tags.add(e.eve ? `${e.eve.relay}/${e.eve.leg ?? 'relay'}` : 'own');
    map.set(e.conn, tags);
  }
  return map;
}

describe("Eve's events are tagged as hers", () => {
  it.each(['impostor', 'passive'] as const)('%s: her connections carry her tag on every event, this side’s own carry none', async (mode) => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false, timeouts: { retryInitialMs: 100, retryMaxMs: 400 } });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.want(contact.id);
    await alice.log.waitFor('conn.ready');
    await alice.m.drills.startEve(contact.id, mode);
    await alice.log.waitFor('drill.eve', (e) => e.eve !== undefined);
    if (mode === 'passive') await alice.log.waitFor('conn.ready', () => true, { count: 2 });
    else await alice.log.waitFor('drill.verdict', (e) => e.eve !== undefined);
    await alice.m.drills.stopEve();

    const tags = tagsByConn(alice.log.all);
    for (const [, seen] of tags) expect(seen.size).toBe(1);
    const eve = [...tags].filter(([, seen]) => !seen.has('own'));
    const own = [...tags].filter(([, seen]) => seen.has('own'));
    expect(own.length).toBeGreaterThanOrEqual(2); // the first connection, and the one Eve was put on
    const legs = eve.map(([, seen]) => [...seen][0]!.split('/')[1]).sort();
    expect(legs).toEqual(mode === 'impostor' ? ['dialer', 'listener', 'relay'] : ['relay']);
    expect(new Set(eve.map(([, seen]) => [...seen][0]!.split('/')[0])).size).toBe(1); // one relay
  });
});
