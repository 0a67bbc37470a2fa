import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi } from '../test/fake-api';
import { bobIdentity, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

async function openDialog(api = new FakeApi()) {
  api.identity = bobIdentity;
  const app = await renderApp(api);
  await app.user.click(screen.getByRole('button', { name: 'Add contact' }));
  return { api, ...app };
}

describe('add contact', () => {
  it('adds from a pasted invite and opens the new chat', async () => {
    const { api, user } = await openDialog();
    const invite = 'lockstep://192.0.2.20:7700?pin=sha256%2Fabc&name=Alice';

    await user.click(screen.getByRole('textbox', { name: 'Invite' }));
    await user.paste(invite);
    await user.click(screen.getByRole('button', { name: 'Save contact' }));

    expect(api.callsTo('addContactFromInvite')).toEqual([{ invite }]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Alice', level: 2 })).toBeInTheDocument();
  });

  it("adds from an address and a pin, and shows the engine's sentence when it refuses", async () => {
    const api = new FakeApi();
    api.failures.set('addContact', { code: 'BAD_PIN', message: 'Not a pin: expected "sha256/<base64>".' });
    const { user } = await openDialog(api);

    await user.click(screen.getByRole('radio', { name: 'An address and a pin' }));
    await user.type(screen.getByRole('textbox', { name: 'Address (host:port)' }), '192.0.2.20:7700');
    await user.type(screen.getByRole('textbox', { name: 'Pin' }), 'nonsense-pin');
    await user.click(screen.getByRole('button', { name: 'Save contact' }));

    expect(api.callsTo('addContact')).toEqual([{ address: '192.0.2.20:7700', pin: 'nonsense-pin' }]);
    expect(screen.getByRole('alert')).toHaveTextContent('Not a pin: expected "sha256/<base64>".');
    expect(screen.getByRole('dialog', { name: 'Add contact' })).toBeInTheDocument();
  });

  it('closes with Escape without adding anything', async () => {
    const { api, user } = await openDialog();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.callsTo('addContactFromInvite')).toEqual([]);
  });
});

describe('a clicked lockstep:// invite link', () => {
  it('opens "Add contact" with the link filled in, and adds nobody until the person saves', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    await renderApp(api);
    const invite = 'lockstep://192.0.2.7:47474?pin=sha256%2FAAAA&name=Alice';
    act(() => api.emit(stamp([{ conn: null, dir: 'local', layer: 'app', kind: 'app.invite-opened', summary: 'An invite link was opened', detail: { invite } }], 900)));

    const dialog = await screen.findByRole('dialog', { name: 'Add contact' });
    expect(within(dialog).getByRole('textbox', { name: 'Invite' })).toHaveValue(invite);
    expect(api.calls.some((c) => c.name === 'addContactFromInvite')).toBe(false);
  });
});
