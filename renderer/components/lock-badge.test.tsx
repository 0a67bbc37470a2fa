import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { bobIdentity, dialerSession, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

async function openAlice(events = stamp(dialerSession('c1', 'alice'))) {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'c1' })];
  api.backlog = events;
  const app = await renderApp(api);
  await app.user.click(screen.getByRole('button', { name: /^Alice/ }));
  return app;
}

describe('lock badge', () => {
  it("names what the connection's own events say, and opens the details", async () => {
    const { user } = await openAlice();
    const badge = screen.getByRole('button', { name: /^TLS/ });
    expect(badge).toHaveAccessibleName('TLS 1.3 · AES-256-GCM · pinned ✓');
    expect(screen.getByText('Secure')).toBeInTheDocument();

    await user.click(badge);

    const dialog = screen.getByRole('dialog', { name: 'Connection details' });
    for (const text of ['TLS 1.3', 'X25519', 'lockstep/1', '6.2 ms', 'CN=Alice']) expect(within(dialog).getAllByText(text).length).toBeGreaterThan(0);
    expect(within(dialog).getByText('Peer certificate pin (SPKI SHA-256)')).toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(badge).toHaveFocus();
  });

  it('is not a lock before the handshake has finished', async () => {
    await openAlice(stamp(dialerSession('c1', 'alice').slice(0, 5)));
    expect(screen.queryByRole('button', { name: /^TLS/ })).not.toBeInTheDocument();
    expect(screen.getByText('Not encrypted yet')).toBeInTheDocument();
  });
});
