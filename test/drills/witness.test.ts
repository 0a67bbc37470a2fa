/**
 * The plaintext witness on the real engine: every application record of a conversation,
 * decrypted independently, equals what the app sent — for each TLS 1.3 suite, both directions,
 * on both peers, none missing — and after a KeyUpdate sent by a foreign peer (openssl s_client).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import type { EventOf } from '../helpers/events';
import { makeCert, opensslPin } from '../helpers/openssl';
import { Lab, type Peer } from '../helpers/profiles';
import { waitUntil } from '../helpers/wait';

const lab = new Lab();
afterEach(() => lab.cleanup());

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

type Key = `${string}/${'in' | 'out'}/${number}`;
const key = (e: LockstepEvent, index: number): Key => `${e.conn}/${e.dir as 'in' | 'out'}/${index}`;

/** The application records a peer decrypted, and the witness verdict for each (if any yet). */
function ledger(p: Peer) {
  const records = p.log.of('tls.record', (e) => e.detail.decrypted?.innerContentType === 'application_data');
  const witnessed = new Map<Key, EventOf<'tls.witness'>>(p.log.of('tls.witness').map((w) => [key(w, w.detail.recordIndex), w]));
  const missing = records.filter((r) => !witnessed.has(key(r, r.detail.index))).map((r) => key(r, r.detail.index));
  return { records, witnessed, missing };
}

/** Wait until every decrypted application record has its witness, then check they are all equal. */
async function expectAllWitnessed(p: Peer, who: string): Promise<EventOf<'tls.witness'>[]> {
  await waitUntil(() => ledger(p).missing.length === 0, `${who}: a tls.witness for every application record`, {
    describe: () => `missing: ${ledger(p).missing.join(', ')}`,
  });
  const all = p.log.of('tls.witness');
  expect(all.filter((w) => !w.detail.equal).map((w) => w.summary), `${who}: witnesses that are not equal`).toEqual([]);
  expect(all.length, `${who}: witnesses vs application records`).toBe(ledger(p).records.length);
  for (const dir of ['in', 'out'] as const) expect(all.some((w) => w.dir === dir), `${who}: a witness for ${dir}`).toBe(true);
  return all;
}

describe.each(SUITES)('every application record equals what the app sent, %s', (suite) => {
  it('both directions, both peers, none missing', async () => {
    const tuning = { cipherSuites: suite };
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', tuning });
    const alice = await lab.peer('Alice', { listen: false, tuning });
    const contact = alice.m.addContact({ address: bob.address, pin: opensslPin(join(bob.dir, 'identity.crt')) });

    // A chat line, unicode, and a long message (45 KB of UTF-8) that spans several TLS records.
    const fromAlice = ['meet at 6', 'héllo ✓ — 你好 🙂', '✓'.repeat(15_000)];
    const sent = fromAlice.map((text) => alice.m.send(contact.id, text));
    for (const m of sent) await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === m.id, { timeoutMs: 20_000 });
    const aliceForBob = (await bob.log.waitFor('conn.ready')).detail.contactId;
    const reply = bob.m.send(aliceForBob, 'see you ✓');
    await bob.log.waitFor('message.delivered', (e) => e.detail.messageId === reply.id, { timeoutMs: 20_000 });

    expect(alice.log.of('tls.secure')[0]?.detail.cipherStandardName).toBe(suite);
    const aliceSide = await expectAllWitnessed(alice, 'Alice');
    const bobSide = await expectAllWitnessed(bob, 'Bob');
    // The long message crossed in several records, each judged on its own.
    expect(aliceSide.filter((w) => w.dir === 'out' && w.detail.bytes > 10_000).length).toBeGreaterThanOrEqual(2);
    expect(aliceSide.some((w) => w.dir === 'out' && w.summary.endsWith('✓ "meet at 6"'))).toBe(true);
    expect(bobSide.some((w) => w.dir === 'in' && w.summary.endsWith('✓ "meet at 6"'))).toBe(true);
    // Both sides judged the same number of bytes each way, once the records still on their way
    // (an ack, a ping: each side decrypts a turn after the bytes passed) have been judged too.
    const total = (p: Peer, dir: 'in' | 'out') => p.log.of('tls.witness').filter((w) => w.dir === dir).reduce((n, w) => n + w.detail.bytes, 0);
    await waitUntil(() => total(alice, 'out') === total(bob, 'in') && total(bob, 'out') === total(alice, 'in'), 'the same bytes judged at both ends', {
      describe: () => `Alice out ${total(alice, 'out')} / Bob in ${total(bob, 'in')}; Bob out ${total(bob, 'out')} / Alice in ${total(alice, 'in')}`,
    });
    expect(total(alice, 'out')).toBeGreaterThan(45_000);
  }, 60_000);
});

describe('after a KeyUpdate from a foreign peer (openssl s_client)', () => {
  it('keeps witnessing every record in both directions across both ratchets', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'openssl');
    // Not -quiet (it implies -ign_eof, which turns the command letters off): `K` sends a KeyUpdate.
    const child = spawn('openssl', ['s_client', '-connect', bob.address, '-tls1_3', '-alpn', 'lockstep/1', '-cert', cert.certPath, '-key', cert.keyPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    try {
      const type = (line: string) => child.stdin.write(`${line}\n`);
      type(JSON.stringify({ type: 'hello', v: 1, name: 'openssl' }));
      const ready = await bob.log.waitFor('conn.ready', () => true, { timeoutMs: 15_000 });
      type(JSON.stringify({ type: 'msg', id: 'before', at: new Date().toISOString(), text: 'before the key update' }));
      await bob.log.waitFor('message.received', (e) => e.detail.messageId === 'before');

      const updates = () => bob.log.of('tls.record', (e) => e.detail.decrypted?.handshakeMessages.includes('KeyUpdate') ?? false);
      type('K');
      // Bob's TLS answers a KeyUpdate with update_requested with its own: both directions ratchet.
      await waitUntil(() => updates().some((e) => e.dir === 'in'), 'the KeyUpdate from s_client');
      type(JSON.stringify({ type: 'msg', id: 'after', at: new Date().toISOString(), text: 'after the key update' }));
      await bob.log.waitFor('message.received', (e) => e.detail.messageId === 'after');
      const answer = bob.m.send(ready.detail.contactId, 'answer under the new key ✓');
      await waitUntil(() => stdout.includes(answer.id), 'the answer at s_client');
      await waitUntil(() => updates().some((e) => e.dir === 'out'), "Bob's own KeyUpdate");

      const all = await expectAllWitnessed(bob, 'Bob');
      // Records after each direction's KeyUpdate were opened under the next key (sequence restarted) and witnessed.
      for (const dir of ['in', 'out'] as const) {
        const update = updates().find((e) => e.dir === dir)!;
        const after = bob.log.of('tls.record', (e) => e.dir === dir && e.conn === update.conn && e.detail.index > update.detail.index && e.detail.decrypted?.innerContentType === 'application_data');
        expect(after.length, `application records after the ${dir} KeyUpdate`).toBeGreaterThan(0);
        expect(after[0]!.detail.decrypted?.sequence).toBe(0);
        for (const r of after) expect(all.find((w) => w.dir === dir && w.detail.recordIndex === r.detail.index)?.detail.equal).toBe(true);
      }
      expect(all.some((w) => w.dir === 'in' && w.summary.endsWith('✓ "after the key update"'))).toBe(true);
      expect(all.some((w) => w.dir === 'out' && w.summary.endsWith('✓ "answer under the new key ✓"'))).toBe(true);
      expect(opensslPin(cert.certPath)).toBe(bob.m.contacts.byId(ready.detail.contactId)?.pin);
    } finally {
      child.kill();
    }
  }, 60_000);
});
