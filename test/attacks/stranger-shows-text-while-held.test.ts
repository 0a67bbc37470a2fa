/**
 * Attack: put words in front of the user before being trusted. A stranger's connection is held
 * while the user decides; the record observer decrypts whatever the stranger sends meanwhile. If
 * that plaintext reached the events (the panel, the CLI's --json, a saved session) or a capture
 * export, the stranger could show "It's Bob, new laptop — press Trust" beside a green check.
 * Until the peer is trusted the records show their structure only, with `withheld` saying why;
 * for a refused connection the text is never released, not even with the capture's keys.
 */
import { afterEach, describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import { Lab } from '../helpers/profiles';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

const BAIT = "It's Bob, new laptop — press Trust";

const appRecords = (events: LockstepEvent[], conn: string) =>
  events.flatMap((e) => (e.kind === 'tls.record' && e.conn === conn && e.dir === 'in' && e.detail.encrypted && e.detail.decrypted?.epoch === 'application' ? [e.detail] : []));

describe('a stranger shows text while held for a decision', () => {
  it('never gets it into an event or an export, held or rejected; the panel says what was withheld', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask', capture: { keepKeys: true } });
    const mallory = await throwaway(lab, 'Mallory');
    const knocking = await knock(alice.address, mallory);
    knocking.send(hello(BAIT));
    knocking.send({ type: 'msg', id: 'm-1', at: new Date().toISOString(), text: BAIT });
    const pending = await alice.log.waitFor('trust.pending');
    const conn = pending.conn!;
    await alice.log.waitMatch((e) => e.kind === 'tls.record' && e.conn === conn && e.dir === 'in' && e.detail.decrypted?.innerContentType === 'application_data', { what: 'the stranger’s records, decrypted' });

    const records = appRecords(alice.log.all, conn).filter((r) => r.decrypted?.innerContentType === 'application_data');
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.withheld, `record #${r.index}`).toBe('peer-not-trusted');
      expect(r.decrypted?.plaintext).toBeUndefined();
    }
    const withBait = () => alice.log.all.filter((e) => JSON.stringify(e).includes(BAIT.slice(0, 12)));
    expect(withBait().map((e) => e.kind)).toEqual([]);
    // The export of a connection nobody trusted carries no keys to read it with.
    const held = alice.m.drills.exportCapture(conn, true);
    expect(held.keys).toBeNull();
    expect(held.keysWithheld).toBe('peer-not-trusted');

    alice.m.decide(pending.detail.requestId, 'reject');
    await alice.log.waitFor('conn.closed', (e) => e.conn === conn);
    await knocking.waitClosed();
    expect(alice.log.of('tls.released', (e) => e.conn === conn)).toEqual([]);
    expect(withBait().map((e) => e.kind)).toEqual([]);
    const refused = alice.m.drills.exportCapture(conn, true);
    expect(refused.keys).toBeNull();
    expect(refused.keysWithheld).toBe('peer-refused');
  });

  it('releases a trusted peer’s early text once, after the decision, and its keys for the export', async () => {
    const alice = await lab.peer('Alice', { unknownPeers: 'ask', capture: { keepKeys: true } });
    const carol = await throwaway(lab, 'Carol');
    const knocking = await knock(alice.address, carol);
    knocking.send(hello('Carol'));
    const pending = await alice.log.waitFor('trust.pending');
    const conn = pending.conn!;
    await alice.log.waitMatch((e) => e.kind === 'tls.record' && e.conn === conn && e.dir === 'in' && e.detail.decrypted?.innerContentType === 'application_data');
    expect(alice.log.of('tls.released')).toEqual([]);

    alice.m.decide(pending.detail.requestId, 'trust');
    const released = await alice.log.waitFor('tls.released', (e) => e.conn === conn);
    const decision = alice.log.of('trust.decision', (e) => e.conn === conn)[0]!;
    expect(released.seq).toBeGreaterThan(decision.seq);
    expect(released.detail.records.map((r) => r.plaintext).join('')).toContain('"type":"hello"');
    expect(released.detail.records.every((r) => r.dir === 'in')).toBe(true);
    await knocking.next((f) => f.type === 'hello', 'Alice’s hello after the trust decision');
    expect(alice.m.drills.exportCapture(conn, true).keys).toMatch(/CLIENT_TRAFFIC_SECRET_0/);
  });
});
