/**
 * The panel drawn from real engine events with one runtime TLS feature switched off at a time
 * (made by the dom project's global setup, test/runtime/gap-stories.global.ts): the handshake
 * is still drawn step by step, and what the runtime could not give is said in words.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, inject, it } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { renderApp } from '../test/render-app';

const stories = inject('runtimeGapStories');

async function openPanel(feature: string) {
  const story = stories[feature]!;
  const api = new FakeApi();
  api.identity = { name: 'Alice', pin: 'sha256/alice', fingerprint: 'AAAA-BBBB-C', createdAt: '2026-01-01T00:00:00.000Z' };
  api.contacts = [makeContact({ id: story.contactId, name: 'Bob', state: 'ready', connId: story.conn })];
  api.backlog = story.events;
  const app = await renderApp(api);
  await app.user.click(screen.getByRole('button', { name: /^Bob/ }));
  const panel = within(screen.getByRole('region', { name: 'Under the hood' }));
  const titles = panel.getAllByRole('button').map((b) => b.querySelector('.step-title')?.textContent ?? '');
  /** Expand every step with this title and return their details' text. */
  const expand = async (title: string) => {
    const texts: string[] = [];
    for (const button of panel.getAllByRole('button').filter((b) => b.querySelector('.step-title')?.textContent === title)) {
      await app.user.click(button);
      texts.push(document.getElementById(button.getAttribute('aria-controls')!)?.textContent ?? '');
    }
    return texts.join('\n');
  };
  return { titles, expand, panel, buttons: panel.getAllByRole('button').map((b) => b.textContent ?? '') };
}

const HANDSHAKE = ['ClientHello', 'ServerHello', 'EncryptedExtensions', 'Handshake complete', 'Pin check ✓'];

describe('the panel on a runtime without a TLS feature (real engine events)', () => {
  it('without shared signature algorithms: the handshake is drawn, and the row says the runtime does not report them', async () => {
    const { titles, expand } = await openPanel('signatureAlgorithms');
    for (const t of HANDSHAKE) expect(titles).toContain(t);
    const details = await expand('Handshake complete');
    expect(details).toMatch(/Signature algorithms\s*This runtime does not report the signature algorithms/);
    expect(details).not.toMatch(/\(none\)/);
  });

  it('without TLS 1.3 cipher selection: the negotiated suite is shown, and that the restriction is not in force', async () => {
    const { titles, expand } = await openPanel('cipherSelection');
    for (const t of HANDSHAKE) expect(titles).toContain(t);
    const details = await expand('Handshake complete');
    expect(details).toMatch(/Cipher suite\s*TLS_/);
    expect(details).toMatch(/chooses the TLS 1\.3 cipher suite itself/);
  });

  it('without the keylog: records are drawn as they travelled, no secret steps, and the panel says why', async () => {
    const { titles, expand, buttons } = await openPanel('keylog');
    for (const t of ['ClientHello', 'ServerHello', 'Handshake complete', 'Pin check ✓', 'msg frame', 'Encrypted record']) expect(titles).toContain(t);
    expect(titles).not.toContain('Secret derived');
    // Records it could not open are not a witness failure: no false alarm.
    expect(buttons.filter((b) => /Independent check|NOT what the app/.test(b))).toEqual([]);
    expect(buttons.filter((b) => /Encrypted record .* not opened/.test(b)).length).toBeGreaterThan(3);
    expect(await expand('Handshake complete')).toMatch(/does not give the TLS keys/);
  });

  it('without alert names in error codes: the refused downgrade is drawn, its error says the runtime names no alert', async () => {
    const { titles, expand } = await openPanel('alertCodes');
    expect(titles).toContain('ClientHello');
    expect(titles).toContain('TLS error');
    expect(await expand('TLS error')).toMatch(/does not name the TLS alert in its error codes/);
  });

  it('without the exporter: the chat connection is drawn whole, with no gap (only pairing by code needs it)', async () => {
    const { titles, expand, panel } = await openPanel('exporter');
    for (const t of [...HANDSHAKE, 'Secret derived']) expect(titles).toContain(t);
    expect(await expand('Handshake complete')).toMatch(/Signature algorithms[^\n]*ECDSA\+SHA256/);
    expect(panel.queryByText(/Not available in this runtime/)).toBeNull();
  });
});
