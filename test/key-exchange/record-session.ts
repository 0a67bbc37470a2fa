/**
 * Records the saved session the renderer's key-exchange tests replay (renderer/test/
 * pq-session.json): two real engines on loopback, Alice's event stream as the presenter's "Save
 * session" writes it, through three scenes: a hybrid connection (X25519MLKEM768), the classical
 * comparison (one connection with X25519 alone, then its verdict), and Eve listening on the wire.
 * Run again after a change to the events:
 *
 *   npx tsx test/key-exchange/record-session.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Lab } from '../helpers/profiles';
import { opensslPin } from '../helpers/openssl';
import { ROOT } from '../helpers/cli-peer';

async function main(): Promise<void> {
  const lab = new Lab();
  try {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: bob.address, pin: opensslPin(join(bob.dir, 'identity.crt')), name: 'Bob' });
    alice.m.want(contact.id);
    await alice.log.waitFor('conn.ready');
    alice.m.drills.compareClassical(contact.id);
    const verdict = await alice.log.waitFor('drill.verdict', (e) => e.detail.drill === 'classical');
    await alice.log.waitFor('conn.ready', (e) => e.conn === verdict.conn);
    await alice.m.drills.startEve(contact.id, 'passive');
    await alice.log.waitFor('conn.ready', () => true, { count: 3 });
    await alice.m.drills.stopEve();
    await alice.log.waitFor('conn.ready', () => true, { count: 4 });
    const events = alice.log.all.filter((e) => e.kind !== 'tls.keylog' || !e.detail.secret);
    const file = join(ROOT, 'renderer/test/pq-session.json');
    writeFileSync(file, `${JSON.stringify({ format: 'lockstep-session', version: 1, events })}\n`);
    process.stdout.write(`${file}: ${events.length} events (Node ${process.versions.node}, OpenSSL ${process.versions.openssl})\n`);
  } finally {
    await lab.cleanup();
  }
}

void main().then(() => process.exit(0));
