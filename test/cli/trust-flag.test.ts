/**
 * `listen --trust PIN` goes through the engine's own door (Messenger.trustKey), not around it:
 * the own pin is refused, and a trusted key becomes a contact with its `contact.changed` event.
 */
import { describe, expect, it } from 'vitest';

import { is, startListener, usePeers } from '../helpers/cli-peer';

describe('listen --trust', () => {
  const peers = usePeers();

  it('refuses this peer\'s own pin with BAD_PIN and exits non-zero, before listening', async () => {
    const dir = peers.profile('alice');
    const id = peers.spawn(['id', '--json', '--profile-dir', dir, '--name', 'Alice'], { label: 'Alice (id)' });
    const own = String((await id.next(is.type('identity'), "Alice's identity")).pin);
    await id.waitExit();
    const listen = peers.spawn(['listen', '--port', '0', '--trust', own, '--json', '--profile-dir', dir], { label: 'Alice' });
    const error = await listen.next(is.type('error'), 'the refusal of her own pin');
    expect(error.code).toBe('BAD_PIN');
    expect((await listen.waitExit()).code).not.toBe(0);
    expect(listen.ofType('ready')).toEqual([]);
  });

  it('adds a trusted key as a contact and says so with contact.changed', async () => {
    const stranger = `sha256/${Buffer.alloc(32, 9).toString('base64')}`;
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--trust', stranger]);
    const events = alice.peer.records.filter((r) => r.type === 'event' && r.kind === 'contact.changed');
    expect(events.map((e) => (e.detail as { change: string }).change)).toEqual(['added']);
  });
});
