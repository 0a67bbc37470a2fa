import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { RequestView } from '../../shared/views';
import { FakeApi, makeContact } from '../test/fake-api';
import { ALICE_PIN, bobIdentity, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const SAFETY = '40213 88712 09345 77120 31987 65012 44871 90213 55678 12094 73310 60288';

function knock(patch: Partial<RequestView> = {}): RequestView {
  return {
    id: 'r1',
    claimedName: 'Alice',
    pin: ALICE_PIN,
    fingerprint: '5FC0-DJBZ-1R0A-Y6GZ-C',
    safetyNumber: SAFETY,
    remoteAddress: '192.0.2.44:50611',
    at: '2026-01-01T18:00:00.000Z',
    claimsKnownName: false,
    connId: 'c7',
    ...patch,
  };
}

function apiWithKnock(request = knock()) {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.requests = [request];
  // What the peer would say once trusted: it must not appear before the Trust click.
  api.messages.set('k1', [{ id: 'x', contactId: 'k1', direction: 'in', text: 'secret hello from the knocker', sentAt: '2026-01-01T18:00:01.000Z', receivedAt: null, deliveredAt: null, state: 'received' }]);
  return api;
}

describe('contact request', () => {
  it('comes to the front with the claimed name, the fingerprint and the safety number in groups', async () => {
    await renderApp(apiWithKnock());

    expect(screen.getByRole('heading', { name: 'Contact request' })).toBeInTheDocument();
    expect(screen.getByText('Alice', { selector: 'strong' })).toBeInTheDocument();
    expect(screen.getByText('192.0.2.44:50611')).toBeInTheDocument();
    const safety = document.querySelector('.safety-number')!;
    expect(safety).toHaveTextContent(SAFETY);
    expect(safety.querySelectorAll('.group')).toHaveLength(12);
  });

  it('shows nothing from the peer before Trust, and Trust calls decideRequest then opens the chat', async () => {
    const api = apiWithKnock();
    const { user } = await renderApp(api);

    expect(screen.queryByRole('textbox', { name: 'Message' })).not.toBeInTheDocument();
    expect(screen.queryByText('secret hello from the knocker')).not.toBeInTheDocument();
    expect(api.callsTo('listMessages')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Trust' }));

    expect(api.callsTo('decideRequest')).toEqual([{ requestId: 'r1', decision: 'trust' }]);
    expect(await screen.findByRole('heading', { name: 'Alice', level: 2 })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeInTheDocument();
  });

  it('Reject calls decideRequest with reject and opens no chat', async () => {
    const api = apiWithKnock();
    const { user } = await renderApp(api);

    await user.click(screen.getByRole('button', { name: 'Reject' }));

    expect(api.callsTo('decideRequest')).toEqual([{ requestId: 'r1', decision: 'reject' }]);
    expect(screen.queryByRole('textbox', { name: 'Message' })).not.toBeInTheDocument();
  });

  it('warns loudly when the knocker claims the name of a known contact', async () => {
    const api = apiWithKnock(knock({ claimsKnownName: true }));
    api.contacts = [makeContact({ id: 'alice', name: 'Alice' })];
    await renderApp(api);

    expect(screen.getByRole('alert')).toHaveTextContent(/possible impostor/i);
  });

  it('appears when a knock arrives while the identity card is open', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    await renderApp(api);
    expect(screen.getByRole('heading', { name: 'Your identity' })).toBeInTheDocument();

    api.requests = [knock()];
    await act(async () => {
      api.emit(stamp([{ conn: 'c7', dir: 'local', layer: 'trust', kind: 'trust.pending', summary: 'knock', detail: { requestId: 'r1', pin: ALICE_PIN, claimedName: 'Alice', claimsKnownName: false } }]));
      api.invalidate(['requests']);
    });

    expect(await screen.findByRole('button', { name: 'Trust' })).toBeInTheDocument();
  });
});
