/**
 * The engine run as it would run on a runtime without one TLS feature (MessengerOptions.runtime):
 * Bob listens, Alice holds his pin, dials him and sends one message, which must arrive. Used by
 * test/runtime/features-off.test.ts and, through the dom project's global setup, by the
 * renderer test that draws the panel from these very events.
 */
import { join } from 'node:path';

import type { MessengerOptions } from '../../main/core/messenger/messenger';
import type { RuntimeFeatureName } from '../../main/core/runtime/runtime-features';
import type { Contact } from '../../main/core/store/contacts';
import { opensslPin } from './openssl';
import type { Lab, Peer } from './profiles';

export interface RuntimeStory {
  alice: Peer;
  bob: Peer;
  bobForAlice: Contact;
  messageId: string;
}

/** The options both peers get: the feature switched off, and a cipher restriction to refuse. */
export function withoutFeature(feature: RuntimeFeatureName | null): Partial<MessengerOptions> {
  return {
    runtime: { disable: feature ? [feature] : [] },
    tuning: feature === 'cipherSelection' ? { cipherSuites: 'TLS_CHACHA20_POLY1305_SHA256' } : {},
  };
}

export async function chatWithout(lab: Lab, feature: RuntimeFeatureName | null, text = 'meet at 6'): Promise<RuntimeStory> {
  const options = withoutFeature(feature);
  const bob = await lab.peer('Bob', { unknownPeers: 'accept', ...options });
  const alice = await lab.peer('Alice', { listen: false, ...options });
  const bobForAlice = alice.m.addContact({ address: bob.address, pin: opensslPin(join(bob.dir, 'identity.crt')), name: 'Bob' });
  const sent = alice.m.send(bobForAlice.id, text);
  await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === sent.id);
  await bob.log.waitFor('message.received', (e) => e.detail.messageId === sent.id);
  return { alice, bob, bobForAlice, messageId: sent.id };
}
