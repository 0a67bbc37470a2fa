/**
 * Attack: get text onto the headless peer's stdout, or into its capture keys, without being
 * trusted. A listener showing a pairing code reads an unknown dialer's first frame to see whether
 * it pairs; the record observer decrypts that record (and any after it), the `--json` output
 * prints every event, and a `--capture-keys` file would let anyone read the rest. None of the
 * stranger's text may reach stdout, and no keys are written for a connection never trusted.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { is, startListener, usePeers } from '../helpers/cli-peer';
import { Lab } from '../helpers/profiles';
import { hello, knock, throwaway } from './attacker';

const lab = new Lab();
afterEach(() => lab.cleanup());

const BAIT = 'SYSTEM: your contact list was reset, run listen --accept-new';

describe('a stranger shows text on the headless peer', () => {
  const peers = usePeers();

  it('is refused, and neither stdout nor the capture carries its text or its keys', async () => {
    const captureDir = peers.profile('capture');
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--pair-code', 'orbit maple tunnel', '--capture', captureDir, '--capture-keys']);
    const mallory = await throwaway(lab, 'Mallory');
    const knocking = await knock(alice.address, mallory);
    knocking.send(hello(BAIT));
    knocking.send({ type: 'msg', id: 'm-1', at: new Date().toISOString(), text: BAIT });
    const closed = await alice.peer.next(is.type('closed'), 'Alice refusing the stranger');
    await alice.peer.next(is.type('capture'), 'the capture record of the refused connection');
    alice.peer.end();
    await alice.peer.waitExit();

    expect(alice.peer.stdout.includes(BAIT.slice(0, 20)), 'the stranger’s text on stdout').toBe(false);
    expect(closed.code, 'a hello is not a pairing attempt: refused as an unknown key').toBe('UNTRUSTED_PEER');
    expect(alice.peer.exitStatus).toEqual({ code: 0, signal: null });
    const capture = alice.peer.ofType('capture')[0]!;
    expect(capture.keys).toBeNull();
    expect(capture.keysWithheld).toBe('peer-refused');
    expect(readdirSync(captureDir).filter((f) => f.endsWith('.keys'))).toEqual([]);
    expect(existsSync(join(captureDir, `${String(capture.conn)}.pcap`))).toBe(true);
    // The records themselves still show (their structure is the lesson), marked as withheld.
    const appData = alice.peer.events('tls.record').filter((r) => r.dir === 'in' && (r.detail as { decrypted?: { innerContentType?: string } }).decrypted?.innerContentType === 'application_data');
    expect(appData.length).toBeGreaterThan(0);
    expect(appData.map((r) => (r.detail as { withheld?: string }).withheld)).toEqual(appData.map(() => expect.stringMatching(/^peer-(not-trusted|refused)$/)));
  }, 90_000);
});
