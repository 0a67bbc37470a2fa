import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi, makeContact } from '../../test/fake-api';
import { bobIdentity } from '../../test/fixtures';
import { renderApp } from '../../test/render-app';

function apiWith(contact = makeContact({ id: 'alice', name: 'Alice', state: 'offline' })) {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.contacts = [contact];
  return api;
}

describe('removing a contact', () => {
  it('asks first, says what is lost, and removes only on the explicit button; the chat closes with the contact', async () => {
    const api = apiWith();
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));
    await user.click(screen.getByRole('button', { name: 'Remove contact…' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove Alice?' });
    expect(dialog).toHaveTextContent(/will no longer be trusted/);
    expect(dialog).toHaveTextContent(/whole conversation with Alice is deleted/);
    // Focus starts on Cancel: Enter straight away keeps the contact.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.callsTo('removeContact')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Remove contact…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove Alice' }));
    expect(api.callsTo('removeContact')).toEqual([{ contactId: 'alice' }]);
    await act(async () => api.invalidate(['contacts', 'discovery'])); // what the engine says after a removal
    expect(await screen.findByRole('heading', { name: 'Your identity' })).toBeInTheDocument(); // home
    expect(screen.queryByRole('button', { name: /^Alice/ })).not.toBeInTheDocument();
  });

  it('offers removal of a damaged contact, in words that fit it', async () => {
    const api = apiWith(makeContact({ id: 'alice', name: 'Alice', state: 'offline', verified: false, trustProblem: { code: 'CONTACT_DAMAGED', message: 'fails its check' } }));
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));
    await user.click(screen.getByRole('button', { name: 'Remove contact…' }));
    expect(screen.getByRole('dialog', { name: 'Remove Alice?' })).toHaveTextContent(/failed its integrity check, so it was never trusted/);
  });

  it('keeps the dialog open with the engine’s code when the removal fails', async () => {
    const api = apiWith();
    api.failures.set('removeContact', { code: 'NOT_FOUND', message: 'No such contact.' });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));
    await user.click(screen.getByRole('button', { name: 'Remove contact…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove Alice' }));
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('Could not remove: No such contact. (NOT_FOUND)');
  });
});
