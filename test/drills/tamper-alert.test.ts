/**
 * The local tamper drill over real sockets: this side flips one bit in its next record, the peer
 * rejects it with a bad_record_mac alert, and this side's own tls.error (named by the code the
 * runtime's TLS library gives Node, not by its message) becomes the tamper verdict.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { verdictFor } from '../../main/core/drills/verdicts';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
afterEach(() => lab.cleanup());

describe('the tamper drill, seen from the side whose record was changed', () => {
  it('names the peer\'s bad_record_mac alert and gives the tamper verdict', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin, name: 'Bob' });
    alice.m.send(contact.id, 'first, untouched');
    await alice.log.waitFor('message.delivered');
    alice.m.flipBitInNextMessage(contact.id);
    alice.m.send(contact.id, 'this one gets a flipped bit');
    const rejected = await alice.log.waitFor('tls.error', (e) => e.dir === 'local');
    expect(rejected.detail).toMatchObject({ failure: 'bad-record-mac', alert: 'bad_record_mac' });
    expect(verdictFor(rejected)?.detail).toMatchObject({ drill: 'tamper', outcome: 'defeated' });
  });
});
