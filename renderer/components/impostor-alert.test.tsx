import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { ALICE_FINGERPRINT, ALICE_PIN, bobIdentity, EVE_FINGERPRINT, impostorSession, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

function apiWithAlice() {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', pin: ALICE_PIN, fingerprint: ALICE_FINGERPRINT, state: 'connecting', connId: 'c9' })];
  return api;
}

describe('impostor warning', () => {
  it('blocks with a red alert naming the expected and the presented key, and no chat for that connection', async () => {
    const api = apiWithAlice();
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeInTheDocument();

    await act(async () => api.emit(stamp(impostorSession('c9', 'alice'))));

    const alert = screen.getByRole('alertdialog', { name: 'This is not Alice' });
    expect(alert).toHaveTextContent(/This is not Alice\..*Nothing was sent\./);
    const expected = within(alert).getByRole('heading', { name: 'Expected key' }).parentElement!;
    const presented = within(alert).getByRole('heading', { name: 'Presented key' }).parentElement!;
    expect(expected).toHaveTextContent(ALICE_FINGERPRINT.replaceAll('-', ' '));
    expect(presented).toHaveTextContent(EVE_FINGERPRINT.replaceAll('-', ' '));
    expect(screen.queryByRole('textbox', { name: 'Message' })).not.toBeInTheDocument();
    expect(screen.getByText(/This connection was refused/)).toBeInTheDocument();
  });

  it('is dismissed only by its button, not by Escape', async () => {
    const api = apiWithAlice();
    const { user } = await renderApp(api);
    await act(async () => api.emit(stamp(impostorSession('c9', 'alice'))));
    const button = screen.getByRole('button', { name: 'I understand, close this warning' });
    expect(button).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();

    await user.click(button);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('reports one refusal once, though the pin check and the close both report it', async () => {
    const api = apiWithAlice();
    const { user } = await renderApp(api);
    await act(async () => api.emit(stamp(impostorSession('c9', 'alice'))));

    await user.click(screen.getByRole('button', { name: 'I understand, close this warning' }));

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('also appears for a close with code PIN_MISMATCH alone', async () => {
    const api = apiWithAlice();
    await renderApp(api);

    await act(async () =>
      api.emit(stamp([{ conn: 'c9', dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: 'closed', detail: { by: 'error', reason: 'This is not Alice', code: 'PIN_MISMATCH', contactId: 'alice' } }])),
    );

    const alert = screen.getByRole('alertdialog', { name: 'This is not Alice' });
    expect(within(alert).getByRole('heading', { name: 'Expected key' }).parentElement).toHaveTextContent(ALICE_FINGERPRINT.replaceAll('-', ' '));
  });

  it('stays away for a matching pin', async () => {
    const api = apiWithAlice();
    await renderApp(api);

    await act(async () =>
      api.emit(stamp([{ conn: 'c9', dir: 'local', layer: 'trust', kind: 'trust.check', summary: 'ok', detail: { role: 'dialer', expected: ALICE_PIN, presented: ALICE_PIN, verdict: 'match', contactId: 'alice', contactName: 'Alice' } }])),
    );

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });
});
