/**
 * Sentences are for people: no verdict may depend on one. Real tamper, replay and downgrade
 * drills run between two engines; then every sentence in their events (summaries, the
 * decryptor's and the witness's reasons, TLS messages) is replaced by nonsense, and the verdicts
 * computed from the events, and the witness's loud/quiet judgement, must not change.
 */
import { afterEach, describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../../shared/events';
import { Lab } from '../../../test/helpers/profiles';
import { verdictFor } from './verdicts';

const lab = new Lab();
afterEach(async () => {
  await lab.cleanup();
});

const PROSE = new Set(['summary', 'undecryptable', 'unchecked', 'message', 'reason', 'note']);
const NONSENSE = 'zorp blat quux — ✓ ✗ tag mismatch? no: wibble';

/** Every prose field, at any depth, turned into the same nonsense. */
function scramble<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scramble) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, PROSE.has(k) && typeof v === 'string' ? NONSENSE : scramble(v)])) as T;
}

const judged = (events: LockstepEvent[]) => events.map((e) => verdictFor(e)?.detail.drill ?? null);
/** What the panel acts on in a witness event: loud (a mismatch) or not. */
const loudness = (events: LockstepEvent[]) =>
  events.flatMap((e) => (e.kind === 'tls.witness' ? [!e.detail.equal && e.detail.cause !== 'not-opened' && e.detail.cause !== 'fell-behind'] : []));

async function drill(mode: 'tamper' | 'replay') {
  const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
  const alice = await lab.peer('Alice', { listen: false, capture: { keepKeys: true }, timeouts: { retryInitialMs: 100, retryMaxMs: 400 } });
  const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
  alice.m.send(contact.id, 'direct');
  await alice.log.waitFor('message.delivered');
  await alice.m.drills.startEve(contact.id, mode);
  await alice.log.waitFor('conn.ready', () => true, { count: 2 });
  alice.m.send(contact.id, `through Eve (${mode})`);
  await bob.log.waitFor('tls.record', (e) => e.dir === 'in' && e.detail.unopened === 'tag-mismatch');
  await bob.log.waitFor('tls.witness', (e) => e.detail.cause === 'tag-mismatch' || e.detail.cause === 'replay');
  return { alice, bob, contact };
}

describe('verdicts and the witness read facts, not sentences', () => {
  it.each(['tamper', 'replay'] as const)('%s: the same verdicts and the same loud witness with every sentence replaced', async (mode) => {
    const { bob } = await drill(mode);
    const events = bob.log.all;
    expect(judged(events)).toContain(mode);
    expect(loudness(events)).toContain(true);
    const scrambled = events.map(scramble);
    expect(scrambled.some((e) => e.summary !== NONSENSE)).toBe(false);
    expect(judged(scrambled)).toEqual(judged(events));
    expect(loudness(scrambled)).toEqual(loudness(events));
  });

  it('downgrade: the refusal is still a downgrade defeated with every sentence replaced', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    await alice.m.drills.downgrade(contact.id);
    await bob.log.waitFor('tls.error', (e) => e.detail.failure === 'protocol-version');
    for (const events of [alice.log.all, bob.log.all]) {
      expect(judged(events.map(scramble))).toEqual(judged(events));
    }
    expect(judged(bob.log.all)).toContain('downgrade');
  });
});
