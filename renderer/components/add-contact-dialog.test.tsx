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
  it('checks a pasted invite first: shows the parsed name, host, port and fingerprint, not the link; saves on a second click', async () => {
    const { api, user } = await openDialog();
    const invite = 'lockstep://192.0.2.20:7700?pin=sha256%2Fabc&name=Alice';

    await user.click(screen.getByRole('textbox', { name: 'Invite' }));
    await user.paste(invite);
    await user.click(screen.getByRole('button', { name: 'Check invite' }));

    expect(api.callsTo('previewInvite')).toEqual([{ invite }]);
    expect(api.callsTo('addContactFromInvite')).toEqual([]);
    const facts = screen.getByRole('region', { name: 'What this invite says' });
    expect(within(facts).getByText('Alice')).toBeInTheDocument();
    expect(within(facts).getByText('192.0.2.20')).toBeInTheDocument();
    expect(within(facts).getByText('7700')).toBeInTheDocument();
    expect(facts).toHaveTextContent(/INVI\s*TEDK\s*EYXX\s*C/);
    expect(screen.queryByText(invite)).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Invite' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save contact' }));
    expect(api.callsTo('addContactFromInvite')).toEqual([{ invite }]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Alice', level: 2 })).toBeInTheDocument();
  });

  it('an invite that changes a known contact says what changes, and only "Save the changes" sends the confirmation', async () => {
    const api = new FakeApi();
    api.invitePreview = {
      name: 'Bank support',
      host: '203.0.113.5',
      port: 47474,
      address: '203.0.113.5:47474',
      pin: 'sha256/bob',
      fingerprint: 'BOBB-KEYX-C',
      existing: { contactId: 'bob', name: 'Bob', address: '192.0.2.7:47474' },
      changes: [
        { field: 'name', from: 'Bob', to: 'Bank support' },
        { field: 'address', from: '192.0.2.7:47474', to: '203.0.113.5:47474' },
      ],
      namesake: null,
    };
    const { user } = await openDialog(api);
    const invite = 'lockstep://203.0.113.5:47474?pin=sha256%2Fbob&name=Bank%20support';
    await user.click(screen.getByRole('textbox', { name: 'Invite' }));
    await user.paste(invite);
    await user.click(screen.getByRole('button', { name: 'Check invite' }));

    const warning = screen.getByRole('alert');
    expect(warning).toHaveTextContent('This invite is for “Bob”, a contact you already have');
    expect(within(warning).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Name: Bob → Bank support',
      'Address: 192.0.2.7:47474 → 203.0.113.5:47474',
    ]);
    expect(screen.queryByRole('button', { name: 'Save contact' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Edit invite' }));
    expect(screen.getByRole('textbox', { name: 'Invite' })).toHaveValue(invite);
    expect(api.callsTo('addContactFromInvite')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Check invite' }));
    await user.click(screen.getByRole('button', { name: 'Save the changes' }));
    expect(api.callsTo('addContactFromInvite')).toEqual([{ invite, confirmChanges: true }]);
  });

  it('warns when the invite uses the name of a contact held with another key', async () => {
    const api = new FakeApi();
    const { user } = await openDialog(api);
    api.invitePreview = { name: 'B\u043eb', host: '198.51.100.9', port: 1, address: '198.51.100.9:1', pin: 'sha256/x', fingerprint: 'XXXX-C', existing: null, changes: [], namesake: { contactId: 'bob', name: 'Bob' } };
    await user.click(screen.getByRole('textbox', { name: 'Invite' }));
    await user.paste('lockstep://198.51.100.9:1?pin=sha256%2Fx&name=B%D0%BEb');
    await user.click(screen.getByRole('button', { name: 'Check invite' }));
    expect(screen.getByRole('alert')).toHaveTextContent('You already have a contact called “Bob” with a different key. This invite is not that contact');
  });

  it("shows the engine's sentence when it refuses the invite, and stays on the invite", async () => {
    const api = new FakeApi();
    api.failures.set('previewInvite', { code: 'BAD_INVITE', message: 'Not a Lockstep invite (it has a user name part ("…@") before the host).' });
    const { user } = await openDialog(api);
    await user.click(screen.getByRole('textbox', { name: 'Invite' }));
    await user.paste('lockstep://bob.corp:47474@203.0.113.5:47474?pin=sha256%2Fx');
    await user.click(screen.getByRole('button', { name: 'Check invite' }));
    expect(screen.getByRole('alert')).toHaveTextContent('user name part');
    expect(screen.getByRole('textbox', { name: 'Invite' })).toBeInTheDocument();
    expect(api.callsTo('addContactFromInvite')).toEqual([]);
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
  it('opens "Add contact" showing what the link says, and adds nobody until the person saves', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    const { user } = await renderApp(api);
    const invite = 'lockstep://192.0.2.7:47474?pin=sha256%2FAAAA&name=Alice';
    act(() => api.emit(stamp([{ conn: null, dir: 'local', layer: 'app', kind: 'app.invite-opened', summary: 'An invite link was opened', detail: { invite } }], 900)));

    const dialog = await screen.findByRole('dialog', { name: 'Add contact' });
    const facts = await within(dialog).findByRole('region', { name: 'What this invite says' });
    expect(api.callsTo('previewInvite')).toEqual([{ invite }]);
    expect(within(facts).getByText('192.0.2.7')).toBeInTheDocument();
    expect(within(facts).getByText('47474')).toBeInTheDocument();
    expect(api.calls.some((c) => c.name === 'addContactFromInvite')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Save contact' }));
    expect(api.callsTo('addContactFromInvite')).toEqual([{ invite }]);
  });
});
