/**
 * Three headless processes for the drills: Alice listens, Eve relays (in one of her modes), Bob
 * dials Eve's port holding Alice's pin. Plus what every drill test asks of their output.
 */
import { expect } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import { verdictFor } from '../../main/core/drills/verdicts';
import { type CliPeer, type CliRecord, is, type Peers, startListener } from '../helpers/cli-peer';

export interface Trio {
  alice: CliPeer;
  alicePin: string;
  eve: CliPeer;
  evePin: string;
  bob: CliPeer;
}

export async function startEve(peers: Peers, forward: string, mode: string, extra: string[] = []): Promise<{ eve: CliPeer; port: number; pin: string }> {
  const eve = peers.spawn(['eve', '--listen', '0', '--host', '127.0.0.1', '--forward', forward, '--mode', mode, '--json', ...extra], { label: `Eve (${mode})` });
  const ready = await eve.next(is.type('ready'), `Eve's "ready" record`);
  expect(ready).toMatchObject({ role: 'eve', mode, forward, host: '127.0.0.1' });
  return { eve, port: Number(ready.port), pin: String(ready.pin) };
}

export function dialBob(peers: Peers, address: string, pin: string, profileDir: string): CliPeer {
  return peers.spawn(['connect', address, '--pin', pin, '--json', '--profile-dir', profileDir, '--name', 'Bob'], { label: 'Bob' });
}

/** Alice (with `aliceArgs`), Eve in `mode` in front of her, Bob dialing Eve with Alice's pin. */
export async function startTrio(peers: Peers, mode: string, aliceArgs: string[], bobDir = peers.profile('bob'), eveArgs: string[] = []): Promise<Trio> {
  const alice = await startListener(peers, peers.profile('alice'), 'Alice', aliceArgs);
  const { eve, port, pin } = await startEve(peers, alice.address, mode, eveArgs);
  const bob = dialBob(peers, `127.0.0.1:${port}`, alice.pin, bobDir);
  return { alice: alice.peer, alicePin: alice.pin, eve, evePin: pin, bob };
}

export const events = (peer: CliPeer, kind: string): (CliRecord & { detail: Record<string, unknown>; summary: string; conn: string; dir: string })[] =>
  peer.events(kind) as never;

/** The verdicts `verdictFor` draws from a peer's own events (what the app shows as the drill's outcome). */
export function peerVerdicts(peer: CliPeer): { drill: string; outcome: string; reason: string }[] {
  return peer.records.flatMap((r) => {
    if (r.type !== 'event') return [];
    const v = verdictFor(r as unknown as LockstepEvent);
    return v ? [v.detail] : [];
  });
}

/** Nothing of `text` is anywhere in Eve's output: not as text, not as the hex of its bytes. */
export function expectEveNeverRead(eve: CliPeer, text: string): void {
  expect(eve.stdout.includes(text), "Eve's stdout contains the text").toBe(false);
  expect(eve.stderr.includes(text), "Eve's stderr contains the text").toBe(false);
  const hex = Buffer.from(text).toString('hex');
  const spaced = hex.replace(/(..)(?!$)/g, '$1 ');
  expect(eve.stdout.includes(hex) || eve.stdout.includes(spaced.slice(0, 24)), "Eve's stdout contains the text's bytes as hex").toBe(false);
}

/** Every application record each peer decrypted was witnessed equal to what its app wrote or read. */
export function expectWitnessed(peer: CliPeer): void {
  const appRecords = events(peer, 'tls.record').filter((e) => (e.detail.decrypted as { innerContentType?: string } | undefined)?.innerContentType === 'application_data');
  const witness = events(peer, 'tls.witness');
  const key = (e: { conn: string; dir: string }, index: unknown) => `${e.conn}/${e.dir}/${String(index)}`;
  const witnessed = new Map(witness.map((w) => [key(w, w.detail.recordIndex), w]));
  for (const r of appRecords) {
    const w = witnessed.get(key(r, r.detail.index));
    expect(w, `a tls.witness for ${key(r, r.detail.index)} on ${peer.label}`).toBeDefined();
    expect(w!.detail.equal, `${key(r, r.detail.index)} on ${peer.label}: ${w!.summary}`).toBe(true);
  }
  expect(witness.filter((w) => !w.detail.equal && !w.detail.unchecked), `loud witnesses on ${peer.label}`).toEqual([]);
}
