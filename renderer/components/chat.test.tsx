import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi, makeContact } from '../test/fake-api';
import { bobIdentity, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

function apiWithAlice(state: 'ready' | 'offline' = 'ready') {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', state, connId: state === 'ready' ? 'c1' : null, unread: 2 })];
  return api;
}

async function openAlice(api: FakeApi) {
  const app = await renderApp(api);
  await app.user.click(screen.getByRole('button', { name: /^Alice/ }));
  return app;
}

describe('chat', () => {
  it('sends with Enter through the api and shows the message', async () => {
    const api = apiWithAlice();
    const { user } = await openAlice(api);
    const box = screen.getByRole('textbox', { name: 'Message' });

    await user.type(box, 'meet at 6{Enter}');

    expect(api.callsTo('sendMessage')).toEqual([{ contactId: 'alice', text: 'meet at 6' }]);
    expect(box).toHaveValue('');
    const log = screen.getByRole('log', { name: 'Messages with Alice' });
    expect(await within(log).findByText('meet at 6')).toBeInTheDocument();
    expect(within(log).getByText(/Sent/)).toBeInTheDocument();
  });

  it('adds a new line with Shift+Enter and sends nothing', async () => {
    const api = apiWithAlice();
    const { user } = await openAlice(api);
    const box = screen.getByRole('textbox', { name: 'Message' });

    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');

    expect(box).toHaveValue('line one\nline two');
    expect(api.callsTo('sendMessage')).toEqual([]);
  });

  it('shows the delivered mark once the engine reports the ack and the view updates', async () => {
    const api = apiWithAlice();
    const { user } = await openAlice(api);
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'meet at 6{Enter}');
    const log = screen.getByRole('log', { name: 'Messages with Alice' });
    await within(log).findByText('meet at 6');
    expect(within(log).queryByText(/Delivered/)).not.toBeInTheDocument();

    const id = api.messages.get('alice')![0]!.id;
    api.updateMessage('alice', id, { state: 'delivered', deliveredAt: '2026-01-01T18:00:02.000Z' });
    await act(async () => {
      api.emit(stamp([{ conn: 'c1', dir: 'local', layer: 'app', kind: 'message.delivered', summary: 'Delivered', detail: { contactId: 'alice', messageId: id } }], 500));
      api.invalidate(['messages', 'contacts'], { contactId: 'alice' });
    });

    expect(await within(log).findByText(/Delivered ✓/)).toBeInTheDocument();
  });

  it('marks the chat read when opened, and dials a contact that is offline', async () => {
    const api = apiWithAlice('offline');
    await openAlice(api);

    expect(api.callsTo('markRead')).toContainEqual({ contactId: 'alice' });
    expect(api.callsTo('connectContact')).toEqual([{ contactId: 'alice' }]);
    expect(screen.getByText('Offline')).toBeInTheDocument();
  });

  it('shows the error sentence from the envelope when sending fails, and keeps the text', async () => {
    const api = apiWithAlice();
    api.failures.set('sendMessage', { code: 'NOT_CONNECTED', message: 'Alice is not connected; the message was not sent.' });
    const { user } = await openAlice(api);
    const box = screen.getByRole('textbox', { name: 'Message' });

    await user.type(box, 'hello{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent('Alice is not connected; the message was not sent.');
    expect(box).toHaveValue('hello');
  });

  it('arms the tamper drill on a live connection through the api', async () => {
    const api = apiWithAlice();
    const { user } = await openAlice(api);

    await user.click(screen.getByRole('button', { name: 'Tamper drill: flip a bit in my next message' }));

    expect(api.callsTo('flipBitInNextMessage')).toEqual([{ contactId: 'alice' }]);
    expect(screen.getByText(/Armed: one bit of your next message to Alice/)).toBeInTheDocument();
  });
});

describe('a contact whose stored trust data fails its check', () => {
  it('is marked damaged in the list and the chat, with its code, and is neither verified nor dialled', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    const message = "This contact's stored key, address or verified mark fails its integrity check.";
    api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'offline', verified: false, trustProblem: { code: 'CONTACT_DAMAGED', message } })];
    const { user } = await renderApp(api);
    const item = screen.getByRole('button', { name: /^Alice/ });
    expect(item).toHaveTextContent('damaged — not trusted');
    await user.click(item);
    expect(screen.getByRole('alert')).toHaveTextContent(`Damaged, not trusted (CONTACT_DAMAGED): ${message}`);
    expect(screen.getByRole('img', { name: 'Not verified' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
    expect(api.callsTo('connectContact')).toEqual([]);
  });
});
