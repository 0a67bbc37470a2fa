import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { MessageView } from '../../shared/views';
import { FakeApi, makeContact } from '../test/fake-api';
import { bobIdentity } from '../test/fixtures';
import { renderApp } from '../test/render-app';

function history(count: number): MessageView[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `h${i + 1}`,
    contactId: 'alice',
    direction: i % 2 === 0 ? 'in' : 'out',
    text: `message ${i + 1}`,
    sentAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, 0) + i * 1000).toISOString(),
    receivedAt: null,
    deliveredAt: null,
    state: i % 2 === 0 ? 'received' : 'delivered',
  }));
}

describe('history paging', () => {
  it('opens at the newest page and loads the page before the oldest one when scrolled to the top', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'c1' })];
    api.messages.set('alice', history(250));
    const { store, user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));

    expect(api.callsTo('listMessages')).toEqual([{ contactId: 'alice', limit: 100 }]);
    expect(store.getState().messages['alice']!.map((m) => m.id)[0]).toBe('h151');

    // Hold the next page back to see the indicator.
    let release = () => {};
    const listMessages = api.listMessages;
    api.listMessages = (arg) => new Promise((resolve) => (release = () => resolve(listMessages(arg))));
    const log = screen.getByRole('log', { name: 'Messages with Alice' });
    await act(async () => {
      fireEvent.scroll(log, { target: { scrollTop: 0 } });
    });
    expect(within(log).getByRole('status')).toHaveTextContent('Loading older messages…');
    await act(async () => release());

    expect(api.callsTo('listMessages')[1]).toEqual({ contactId: 'alice', before: 'h151', limit: 100 });
    const ids = store.getState().messages['alice']!.map((m) => m.id);
    expect(ids).toHaveLength(200);
    expect(ids[0]).toBe('h51');
    expect(ids[199]).toBe('h250');
    expect(within(log).queryByText('Loading older messages…')).not.toBeInTheDocument();

    // The last, short page says the history is complete: no more requests.
    api.listMessages = listMessages;
    await act(async () => {
      fireEvent.scroll(log, { target: { scrollTop: 0 } });
    });
    expect(api.callsTo('listMessages')[2]).toEqual({ contactId: 'alice', before: 'h51', limit: 100 });
    expect(store.getState().messages['alice']).toHaveLength(250);
    expect(store.getState().history['alice']).toEqual({ loadingOlder: false, complete: true });
    await act(async () => {
      fireEvent.scroll(log, { target: { scrollTop: 0 } });
    });
    expect(api.callsTo('listMessages')).toHaveLength(3);
  });

  it('keeps older pages when a new message refreshes the newest page', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'c1' })];
    api.messages.set('alice', history(150));
    const { store, user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));
    await act(() => store.loadOlderMessages('alice'));
    expect(store.getState().messages['alice']).toHaveLength(150);

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'newest{Enter}');
    await act(() => store.watchMessages('alice'));
    const ids = store.getState().messages['alice']!.map((m) => m.id);
    expect(ids).toHaveLength(151);
    expect(ids[0]).toBe('h1');
    expect(store.getState().history['alice']!.complete).toBe(true);
  });
});
