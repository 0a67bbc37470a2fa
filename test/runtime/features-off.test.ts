/**
 * The engine with each probed TLS feature switched off, one at a time, as on a runtime that lacks
 * it (Electron's BoringSSL lacks shared sigalgs and TLS 1.3 cipher selection): real engines, real
 * sockets. Each time the chat still works, an impostor holding another key is still refused
 * before any application byte, and the events say plainly what the runtime could not give.
 */
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { RuntimeGap } from '../../shared/events';
import { engineHandlers } from '../../main/core/api/handlers';
import { FEATURE_NAMES, GAP_OF, runtimeFeatures, type RuntimeFeatureName } from '../../main/core/runtime/runtime-features';
import { opensslPin } from '../helpers/openssl';
import { Lab } from '../helpers/profiles';
import { chatWithout, withoutFeature } from '../helpers/runtime-story';

const lab = new Lab();
afterEach(() => lab.cleanup());

/** The gaps a connection's `tls.secure` must carry with this feature off (the others show elsewhere). */
const SECURE_GAPS: Partial<Record<RuntimeFeatureName, RuntimeGap>> = {
  signatureAlgorithms: 'signature-algorithms',
  cipherSelection: 'cipher-selection',
  keylog: 'keylog',
};

describe('the probe on this runtime (Node: OpenSSL)', () => {
  it('finds every feature by a real handshake, and the engine option switches each off alone', async () => {
    // OpenSSL offers all of them; a feature missing here would be a probe bug.
    expect(await runtimeFeatures()).toEqual({ signatureAlgorithms: true, cipherSelection: true, keylog: true, exporter: true, alertCodes: true });
    for (const name of FEATURE_NAMES) {
      const features = await runtimeFeatures({ disable: [name] });
      expect(Object.entries(features).filter(([, on]) => !on).map(([n]) => n)).toEqual([name]);
    }
  });

  it('the network view the app shows lists exactly the features switched off, and no probe problem', async () => {
    const full = await lab.peer('Full');
    expect((await engineHandlers(full.m).getNetwork({})).runtime).toEqual({ gaps: [], probeProblem: null });
    const bare = await lab.peer('Bare', { runtime: { disable: ['keylog', 'signatureAlgorithms'] } });
    expect((await engineHandlers(bare.m).getNetwork({})).runtime).toEqual({ gaps: ['signature-algorithms', 'keylog'], probeProblem: null });
  });

  it('with nothing switched off, no connection carries a gap, and the panel gets sigalgs, keys and the cipher asked for', async () => {
    const { alice, bob } = await chatWithout(lab, null);
    for (const p of [alice, bob]) {
      const secure = p.log.of('tls.secure')[0]!.detail;
      expect(secure.runtimeGaps).toBeUndefined();
      expect(secure.signatureAlgorithms).toContain('ECDSA+SHA256');
      expect(p.log.of('tls.keylog').length).toBeGreaterThanOrEqual(4);
    }
  });

  it('with cipher selection on, a TLS 1.3 restriction is in force on both sides', async () => {
    const tuning = { cipherSuites: 'TLS_CHACHA20_POLY1305_SHA256' };
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', tuning });
    const alice = await lab.peer('Alice', { listen: false, tuning });
    await alice.m.connect(alice.m.addContact({ address: bob.address, pin: bob.m.identity.pin }).id);
    for (const p of [alice, bob]) {
      const secure = (await p.log.waitFor('tls.secure')).detail;
      expect(secure).toMatchObject({ cipherStandardName: 'TLS_CHACHA20_POLY1305_SHA256' });
      expect(secure.runtimeGaps).toBeUndefined();
    }
  });
});

describe.each(FEATURE_NAMES)('without %s', (feature) => {
  it('chats, says what is missing, and still refuses an impostor before any application byte', async () => {
    const { alice, bob, bobForAlice, messageId } = await chatWithout(lab, feature);
    expect(alice.m.messages.get(bobForAlice.id, messageId)?.state).toBe('delivered');
    const received = bob.log.of('message.received')[0]!;
    expect(bob.m.messages.get(received.detail.contactId, messageId)?.text).toBe('meet at 6');

    const expected = SECURE_GAPS[feature];
    for (const p of [alice, bob]) {
      const secure = p.log.of('tls.secure')[0]!.detail;
      expect(secure.runtimeGaps).toEqual(expected ? [expected] : undefined);
      if (feature === 'signatureAlgorithms') expect(secure.signatureAlgorithms).toEqual([]);
      // The restriction is not passed on (BoringSSL would ignore it): Node's own first choice wins.
      if (feature === 'cipherSelection') expect(secure.cipherStandardName).not.toBe('TLS_CHACHA20_POLY1305_SHA256');
      if (feature === 'keylog') {
        expect(p.log.of('tls.keylog')).toEqual([]);
        expect(p.log.of('tls.record').filter((e) => e.detail.decrypted)).toEqual([]);
        // Nothing to compare without keys: the witness stays silent rather than cry wolf.
        expect(p.log.of('tls.witness')).toEqual([]);
      }
      expect(p.log.of('tls.error')).toEqual([]);
    }

    // Mallory answers at the address where Carol expects Bob's pin: refused at the pin check.
    const mallory = await lab.peer('Mallory', { unknownPeers: 'accept', ...withoutFeature(feature) });
    const carol = await lab.peer('Carol', { listen: false, ...withoutFeature(feature) });
    const fake = carol.m.addContact({ address: mallory.address, pin: opensslPin(join(bob.dir, 'identity.crt')), name: 'Bob' });
    await expect(carol.m.connect(fake.id)).rejects.toMatchObject({ code: 'PIN_MISMATCH' });
    const check = carol.log.of('trust.check')[0]!;
    expect(check.detail).toMatchObject({ verdict: 'mismatch', presented: opensslPin(join(mallory.dir, 'identity.crt')) });
    expect(carol.log.of('frame.out')).toEqual([]);
    expect(mallory.log.of('frame.in')).toEqual([]);
  });
});

describe('without the exporter', () => {
  it('pairing by code is refused on both sides before a code is shown or a byte moves (no binding: no pairing)', async () => {
    const options = withoutFeature('exporter');
    const bob = await lab.peer('Bob', options);
    const alice = await lab.peer('Alice', { listen: false, ...options });
    expect(() => bob.m.startPairing()).toThrow(expect.objectContaining({ code: 'PAIRING_UNAVAILABLE' }));
    expect(bob.m.activePairingCode).toBeNull();
    await expect(alice.m.pairWith(bob.address, 'abandon ability able')).rejects.toMatchObject({ code: 'PAIRING_UNAVAILABLE' });
    expect(alice.log.of('tcp.connect')).toEqual([]);
    expect(bob.log.of('tcp.accept')).toEqual([]);
  });
});

describe('without alert names in error codes', () => {
  it('the downgrade drill is still refused, its errors carry no alert but the gap, and the wire alert is still read', async () => {
    const { alice, bob, bobForAlice } = await chatWithout(lab, 'alertCodes');
    const verdict = await alice.m.drills.downgrade(bobForAlice.id);
    expect(verdict).toMatchObject({ drill: 'downgrade', outcome: 'defeated' });
    const errors = alice.log.of('tls.error', (e) => e.detail.code !== 'TLS_ALERT');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.detail).toMatchObject({ alert: null, runtimeGaps: [GAP_OF.alertCodes] });
    // The record observer reads the alert record itself off the wire: no library involved.
    expect(alice.log.of('tls.error', (e) => e.detail.code === 'TLS_ALERT' && e.detail.alert === 'protocol_version')).toHaveLength(1);
    await bob.log.waitFor('tls.error', (e) => e.detail.runtimeGaps?.includes('alert-names') === true);
  });

  it('with alert codes on, the same drill names protocol_version from the code', async () => {
    const { alice, bobForAlice } = await chatWithout(lab, null);
    await alice.m.drills.downgrade(bobForAlice.id);
    const fromCode = alice.log.of('tls.error', (e) => e.detail.code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(fromCode.map((e) => e.detail.alert)).toEqual(['protocol_version']);
    expect(fromCode[0]!.detail.runtimeGaps).toBeUndefined();
  });
});
