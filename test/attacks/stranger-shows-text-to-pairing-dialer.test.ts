/**
 * Attack: a listener shows text to someone dialling it to pair. A pairing dialer accepts whatever
 * certificate answers, since the code is what decides. A stranger at that address writes chat-
 * like lines instead of pairing frames; the dialer's record observer decrypts them. Until the
 * pairing succeeds, none of it may reach an event — and after it fails, never.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../helpers/profiles';
import { hostileListener, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

const BAIT = 'Pairing done. Now type your bank PIN';

describe('a stranger shows text to a pairing dialer', () => {
  it('fails the pairing and shows nothing of what it sent', async () => {
    const alice = await lab.peer('Alice', { listen: false });
    const mallory = await throwaway(lab, 'Mallory');
    const hostile = await hostileListener(mallory, [JSON.stringify({ type: 'msg', id: 'x', at: new Date().toISOString(), text: BAIT }), BAIT]);
    await expect(alice.m.pairWith(hostile.address, 'orbit maple tunnel')).rejects.toMatchObject({ code: 'PAIRING_FAILED' });
    const conn = alice.log.of('tcp.connect')[0]!.conn;
    await alice.log.waitFor('conn.closed', (e) => e.conn === conn);
    const opened = alice.log.of('tls.record', (e) => e.conn === conn && e.dir === 'in' && e.detail.decrypted?.innerContentType === 'application_data');
    expect(opened.length, 'the stranger’s records were seen (and decrypted)').toBeGreaterThan(0);
    for (const r of opened) expect(r.detail.withheld).toMatch(/^peer-(not-trusted|refused)$/);
    expect(alice.log.all.filter((e) => JSON.stringify(e).includes(BAIT.slice(0, 16))).map((e) => e.kind)).toEqual([]);
    expect(alice.log.of('tls.released')).toEqual([]);
    await hostile.close();
  });
});
