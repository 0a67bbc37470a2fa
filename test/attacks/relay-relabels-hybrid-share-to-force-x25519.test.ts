/**
 * Attack: a relay on the path wants the two peers to fall back to classical X25519 (whose
 * recording a future quantum computer could open). It edits the dialer's ClientHello in flight:
 * the hybrid group X25519MLKEM768 (0x11ec) becomes an unknown code (0x11ed), in the offered list
 * and on the key share, same lengths, so the listener sees only X25519 and picks it. The hellos
 * are in the transcript both sides authenticate, so the handshake must fail and nothing be sent:
 * no connection ever comes up on X25519.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { opensslPin } from '../helpers/openssl';
import { Lab } from '../helpers/profiles';

const lab = new Lab();
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await lab.cleanup();
});

const HYBRID = [0x11, 0xec];
/** supported_groups: the hybrid right before X25519 (0x001d); key_share: the hybrid, then its 1,216-byte length. */
const OFFERED = Buffer.from([...HYBRID, 0x00, 0x1d]);
const SHARE = Buffer.from([...HYBRID, 0x04, 0xc0]);

/** Relabel the hybrid group in the first record (the ClientHello); returns how many places changed. */
function relabel(record: Buffer): number {
  let changed = 0;
  for (const needle of [OFFERED, SHARE]) {
    const at = record.indexOf(needle);
    if (at < 0) continue;
    record[at + 1] = 0xed;
    changed += 1;
  }
  return changed;
}

/** A relay to `target` that edits the first ClientHello it sees; `edits` counts the changes made. */
async function editingRelay(target: { host: string; port: number }) {
  const state = { edits: 0 };
  const server = createServer((from) => {
    const to = createConnection(target);
    sockets.push(from, to);
    let pending: Buffer | null = Buffer.alloc(0);
    from.on('data', (chunk: Buffer) => {
      if (!pending) return void to.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 5 || pending.length < 5 + pending.readUInt16BE(3)) return;
      state.edits += relabel(pending);
      to.write(pending);
      pending = null;
    });
    to.on('data', (chunk: Buffer) => from.write(chunk));
    for (const s of [from, to]) s.on('error', () => undefined).on('close', () => (from.destroy(), to.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { state, address: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('a relay relabels the hybrid share to force X25519', () => {
  it('the handshake fails on both sides; no connection comes up, classical or not', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const relay = await editingRelay({ host: '127.0.0.1', port: Number(bob.address.split(':')[1]) });
    const alice = await lab.peer('Alice', { listen: false });
    const contact = alice.m.addContact({ address: relay.address, pin: opensslPin(join(bob.dir, 'identity.crt')) });
    await expect(alice.m.connect(contact.id)).rejects.toMatchObject({ code: 'TLS_ERROR' });
    await relay.close();

    // The edit was made where it matters: the offer and the key share.
    expect(relay.state.edits).toBe(2);
    // The listener did read X25519 as the only usable share — and still nobody got a secure connection.
    await bob.log.waitFor('tls.hello', (e) => e.detail.handshakeType === 'server_hello' && e.detail.groups[0] === 'X25519');
    for (const p of [alice, bob]) {
      expect(p.log.of('tls.secure')).toEqual([]);
      expect(p.log.of('conn.ready')).toEqual([]);
      expect(p.log.of('frame.out')).toEqual([]);
    }
    expect(alice.log.of('tls.error').length).toBeGreaterThan(0);
  });
});
