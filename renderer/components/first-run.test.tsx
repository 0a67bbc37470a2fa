import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi } from '../test/fake-api';
import { renderApp } from '../test/render-app';

describe('first run and identity card', () => {
  it('asks for a name, creates the identity, then shows the card with the invite and its QR code', async () => {
    const api = new FakeApi();
    const { user } = await renderApp(api);

    await user.type(screen.getByRole('textbox', { name: 'Display name' }), 'Bob');
    await user.click(screen.getByRole('button', { name: 'Create identity' }));

    expect(api.callsTo('createIdentity')).toEqual([{ name: 'Bob' }]);
    expect(await screen.findByRole('heading', { name: 'Your identity' })).toBeInTheDocument();
    expect(screen.getByText('192.0.2.10:7700')).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: 'QR code of your invite' })).toHaveAttribute('src', expect.stringMatching(/^data:image\/svg\+xml/));

    await user.click(screen.getByRole('button', { name: 'Copy invite' }));
    expect(api.callsTo('copyText')).toEqual([{ text: api.network.invite }]);
  });

  it("shows the engine's sentence when the name is refused", async () => {
    const api = new FakeApi();
    api.failures.set('createIdentity', { code: 'BAD_ARGUMENT', message: 'Use at most 64 characters.' });
    const { user } = await renderApp(api);

    await user.type(screen.getByRole('textbox', { name: 'Display name' }), 'Bob');
    await user.click(screen.getByRole('button', { name: 'Create identity' }));

    expect(screen.getByRole('alert')).toHaveTextContent('Use at most 64 characters.');
  });
});
