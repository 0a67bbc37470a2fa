import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { bobIdentity, bulkRecords, dialerSession, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

function apiWithSession() {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'c1' })];
  api.backlog = stamp(dialerSession('c1', 'alice'));
  return api;
}

async function openPanel(api: FakeApi) {
  const app = await renderApp(api);
  await app.user.click(screen.getByRole('button', { name: /^Alice/ }));
  return { ...app, panel: screen.getByRole('region', { name: 'Under the hood' }) };
}

describe('under the hood', () => {
  it('shows the three phases and the handshake step by step, with the negotiated cipher', async () => {
    const { panel } = await openPanel(apiWithSession());
    const p = within(panel);

    expect(p.getByRole('heading', { name: '1 · TCP handshake' })).toBeInTheDocument();
    expect(p.getByRole('heading', { name: '2 · Key exchange (TLS 1.3 handshake)' })).toBeInTheDocument();
    expect(p.getByRole('heading', { name: '3 · Data transfer' })).toBeInTheDocument();

    // Accessible names of the step buttons, computed once (role queries per name are slow in jsdom).
    const names = p.getAllByRole('button').map((b) => b.textContent ?? '');
    const count = (pattern: RegExp) => names.filter((n) => pattern.test(n)).length;
    for (const title of ['SYN', 'SYN/ACK', 'ACK', 'ClientHello', 'ServerHello', 'EncryptedExtensions', 'CertificateRequest', 'Handshake complete', 'Pin check ✓']) {
      expect(names.filter((n) => n.split(': ')[1]?.startsWith(`${title} `)), title).toHaveLength(1);
    }
    // Both sides send Certificate, CertificateVerify and Finished: the peer's arrive, ours leave.
    expect(count(/^Alice to Bob: Certificate /)).toBe(1);
    expect(count(/^Bob to Alice: Certificate /)).toBe(1);
    expect(count(/: CertificateVerify /)).toBe(2);
    expect(count(/: Finished /)).toBe(2);
    expect(count(/ServerHello.*chooses TLS_AES_256_GCM_SHA384 \(AES-256-GCM\)/)).toBe(1);
    expect(count(/Handshake complete.*TLS 1\.3 · AES-256-GCM · X25519/)).toBe(1);
    expect(p.getAllByText(/proves possession — authentication/)).toHaveLength(2);
    expect(p.getAllByText(/proves nobody altered the handshake — integrity/)).toHaveLength(2);
  });

  it('puts the steps in protocol order, each in its phase', async () => {
    const { panel } = await openPanel(apiWithSession());
    const items = within(panel).getAllByRole('listitem').map((li) => li.querySelector('h3, .step-title')?.textContent);
    const at = (text: string) => items.indexOf(text);

    expect(at('1 · TCP handshake')).toBeLessThan(at('SYN'));
    expect(at('ACK')).toBeLessThan(at('2 · Key exchange (TLS 1.3 handshake)'));
    expect(at('ClientHello')).toBeLessThan(at('ServerHello'));
    expect(at('ServerHello')).toBeLessThan(at('EncryptedExtensions'));
    expect(at('CertificateVerify')).toBeLessThan(at('Handshake complete'));
    expect(at('Pin check ✓')).toBeLessThan(at('3 · Data transfer'));
    expect(at('3 · Data transfer')).toBeLessThan(at('msg frame'));
  });

  it('expands a step with the keyboard to show its details', async () => {
    const { panel, user } = await openPanel(apiWithSession());
    const serverHello = within(panel).getByRole('button', { name: /: ServerHello / });
    expect(serverHello).toHaveAttribute('aria-expanded', 'false');

    serverHello.focus();
    await user.keyboard('{Enter}');

    expect(serverHello).toHaveAttribute('aria-expanded', 'true');
    const details = document.getElementById(serverHello.getAttribute('aria-controls')!)!;
    expect(within(details).getByText('Chosen cipher suite')).toBeInTheDocument();
    expect(within(details).getByText('TLS_AES_256_GCM_SHA384')).toBeInTheDocument();
    expect(within(details).getByText('Record header')).toBeInTheDocument();
  });

  it('shows the record that carried a message, opened independently, with its tag and nonce on expanding', async () => {
    const { panel, user } = await openPanel(apiWithSession());
    const record = within(panel).getByRole('button', { name: /Bob to Alice: Encrypted record .*decrypted independently: meet at 6 ✓/ });

    await user.click(record);

    const details = document.getElementById(record.getAttribute('aria-controls')!)!;
    expect(within(details).getByText('Authentication tag')).toBeInTheDocument();
    expect(within(details).getByText('Nonce (IV XOR sequence)')).toBeInTheDocument();
    expect(within(details).getByText(/"text":"meet at 6"/)).toBeInTheDocument();
  });

  it('keeps only the visible rows of a 10,000-event batch in the document', async () => {
    const api = apiWithSession();
    const { panel } = await openPanel(api);

    await act(async () => {
      api.emit(stamp(bulkRecords('c1', 10_000), 1000));
    });

    const rows = within(panel).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(200);
  });

  it("takes a bubble's “On the wire” to the record that carried it, expanded", async () => {
    const api = apiWithSession();
    api.messages.set('alice', [{ id: 'm1', contactId: 'alice', direction: 'out', text: 'meet at 6', sentAt: '2026-01-01T18:00:00.000Z', receivedAt: null, deliveredAt: '2026-01-01T18:00:01.000Z', state: 'delivered' }]);
    const { panel, user } = await openPanel(api);

    await user.click(await screen.findByRole('button', { name: 'On the wire: meet at 6' }));

    const record = within(panel).getByRole('button', { name: /Bob to Alice: Encrypted record .*meet at 6 ✓/ });
    expect(record).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('checkbox', { name: 'Follow new steps' })).not.toBeChecked();
  });

  it('stops following when the user scrolls back to read, and not when they scroll on down', async () => {
    const { panel, user } = await openPanel(apiWithSession());
    const follow = screen.getByRole('checkbox', { name: 'Follow new steps' });
    const diagram = within(panel).getByRole('group', { name: 'Sequence diagram' });
    expect(follow).toBeChecked();

    fireEvent.wheel(diagram, { deltaY: 120 });
    fireEvent.keyDown(diagram, { key: 'ArrowDown' });
    expect(follow, 'down is where new steps appear').toBeChecked();

    fireEvent.wheel(diagram, { deltaY: -120 });
    expect(follow, 'a wheel turn upwards').not.toBeChecked();

    await user.click(follow);
    expect(follow).toBeChecked();
    for (const key of ['PageUp', 'Home', 'ArrowUp']) {
      fireEvent.keyDown(diagram, { key });
      expect(follow, key).not.toBeChecked();
      await user.click(follow);
    }

    // A press on the scroll bar (the scroller itself) stops following; a press on a step does not.
    fireEvent.pointerDown(within(diagram).getAllByRole('button')[0]!);
    expect(follow).toBeChecked();
    fireEvent.pointerDown(diagram);
    expect(follow).not.toBeChecked();
  });
});
