/**
 * The one-laptop demo: two profiles, Alice and Bob, that already know and trust each other, so a
 * presenter opens two windows side by side and starts chatting. Preparing is idempotent: existing
 * identities and contacts are kept.
 */
import { join } from 'node:path';

import { openMessenger } from '../messenger/messenger';
import { formatAddress } from '../net/address';

export interface DemoPeer {
  profile: string;
  name: string;
  port: number;
}

export const DEMO_PEERS: readonly [DemoPeer, DemoPeer] = [
  { profile: 'alice', name: 'Alice', port: 47474 },
  { profile: 'bob', name: 'Bob', port: 47475 },
];

export interface PrepareDemoOptions {
  /** The folder that holds one folder per profile. */
  profilesDir: string;
  peers?: readonly [DemoPeer, DemoPeer];
  nativeBinding?: string;
  host?: string;
}

/** Create both identities if needed and pin each as the other's verified contact on loopback. */
export async function prepareDemoProfiles(options: PrepareDemoOptions): Promise<void> {
  const peers = options.peers ?? DEMO_PEERS;
  const host = options.host ?? '127.0.0.1';
  const opened = await Promise.all(
    peers.map((p) => openMessenger({ profileDir: join(options.profilesDir, p.profile), listen: false, nativeBinding: options.nativeBinding })),
  );
  try {
    for (const [i, m] of opened.entries()) if (!m.hasIdentity) await m.createIdentity(peers[i]!.name);
    for (const [i, m] of opened.entries()) {
      const other = peers[1 - i]!;
      const otherPin = opened[1 - i]!.identity.pin;
      const contact = m.addContact({ address: formatAddress({ host, port: other.port }), pin: otherPin, name: other.name });
      // Both identities were made here, on this machine: there is nothing left to compare.
      m.markVerified(contact.id, true);
    }
  } finally {
    await Promise.all(opened.map((m) => m.close()));
  }
}
