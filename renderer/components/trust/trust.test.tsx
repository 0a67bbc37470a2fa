import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { KeyChangeView } from '../../../shared/views';
import { FakeApi, makeContact } from '../../test/fake-api';
import { ALICE_FINGERPRINT, ALICE_PIN, EVE_FINGERPRINT, EVE_PIN, bobIdentity, stamp } from '../../test/fixtures';
import { renderApp } from '../../test/render-app';

const change: KeyChangeView = {
  id: 'kc1',
  contactId: 'alice',
  contactName: 'Alice',
  side: 'dialer',
  oldPin: ALICE_PIN,
  oldFingerprint: ALICE_FINGERPRINT,
  newPin: EVE_PIN,
  newFingerprint: EVE_FINGERPRINT,
  oldFirstSeen: '2026-01-01T17:00:00.000Z',
  oldLastSeen: '2026-01-02T09:30:00.000Z',
  detectedAt: '2026-01-03T10:00:00.000Z',
  remoteAddress: '192.0.2.20:7700',
  safetyNumber: '12345 67890 11111 22222 33333 44444 55555 66666 77777 88888 99999 00000',
  checkGroups: [2, 6, 10],
};

function apiWithAlice(patch: Partial<Parameters<typeof makeContact>[0]> = {}) {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', pin: ALICE_PIN, verified: false, address: '192.0.2.20:7700', ...patch })];
  return api;
}

describe('key change card', () => {
  it('blocks with both keys and offers only safe ways forward (no accept button)', async () => {
    const api = apiWithAlice();
    api.keyChanges = [change];
    await renderApp(api);

    const card = await screen.findByRole('alertdialog', { name: 'Alice’s key changed' });
    expect(within(card).getByRole('region', { name: 'Old key' })).toHaveTextContent('5FC0');
    expect(within(card).getByRole('region', { name: 'New key' })).toHaveTextContent('GMK2');
    expect(card).toHaveTextContent('192.0.2.20:7700');
    const names = within(card)
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(names).toEqual(['Compare safety numbers', 'Pair again with a code', 'Decide later']);
    expect(within(card).queryByRole('button', { name: /accept|trust|continue/i })).not.toBeInTheDocument();
  });

  it('shows the whole safety number, asks for all of it to match and for the drawn groups, and refuses wrong ones', async () => {
    const api = apiWithAlice();
    api.keyChanges = [change];
    const { user } = await renderApp(api);
    const card = await screen.findByRole('alertdialog', { name: 'Alice’s key changed' });

    await user.click(within(card).getByRole('button', { name: 'Compare safety numbers' }));
    expect(card).toHaveTextContent('Ask Alice to open the safety number on their screen and read all 12 groups to you');
    const grid = within(card).getByRole('group', { name: 'Safety number' });
    expect(grid.querySelectorAll('.group')).toHaveLength(12);
    expect(grid).toHaveTextContent('12345 67890 11111 22222');
    expect(grid).toHaveTextContent('99999 00000');
    // The groups to type are the ones the engine drew (3rd, 7th, 11th), not the first ones.
    const boxes = ['Group 3', 'Group 7', 'Group 11'].map((name) => within(card).getByRole('textbox', { name }));
    expect(within(card).queryByRole('textbox', { name: 'Group 1' })).not.toBeInTheDocument();

    // Typing the groups without saying that all twelve match is not enough: nothing is sent.
    await user.type(boxes[0]!, '11111');
    await user.type(boxes[1]!, '55555');
    await user.type(boxes[2]!, '99999');
    await user.click(within(card).getByRole('button', { name: 'Check' }));
    expect(within(card).getByRole('alert')).toHaveTextContent('First compare all 12 groups with what Alice reads out');
    expect(api.callsTo('reverifyKeyChange')).toEqual([]);

    await user.click(within(card).getByRole('checkbox', { name: 'All 12 groups match what Alice read out' }));
    await user.clear(boxes[2]!);
    await user.type(boxes[2]!, '99990');
    await user.click(within(card).getByRole('button', { name: 'Check' }));
    expect(api.callsTo('reverifyKeyChange')).toEqual([{ changeId: 'kc1', allGroupsMatch: true, groups: ['11111', '55555', '99990'] }]);
    expect(within(card).getByRole('alert')).toHaveTextContent('Those digits do not match — this may not be Alice. Nothing was changed.');
    expect(screen.getByRole('alertdialog', { name: 'Alice’s key changed' })).toBeInTheDocument();

    await user.clear(boxes[2]!);
    await user.type(boxes[2]!, '99999');
    await user.click(within(card).getByRole('button', { name: 'Check' }));
    expect(api.callsTo('reverifyKeyChange')[1]).toEqual({ changeId: 'kc1', allGroupsMatch: true, groups: ['11111', '55555', '99999'] });
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('"Pair again with a code" opens the pairing for this change: the contact\'s address, and the change id with the pairing', async () => {
    const api = apiWithAlice();
    api.keyChanges = [change];
    const { user } = await renderApp(api);
    await user.click(await screen.findByRole('button', { name: 'Pair again with a code' }));

    const dialog = screen.getByRole('dialog', { name: 'Pair again with Alice' });
    expect(dialog).toHaveTextContent('the key that paired becomes Alice’s pinned key');
    expect(within(dialog).getByRole('tab', { name: 'I have a code' })).toHaveAttribute('aria-selected', 'true');
    expect(within(dialog).getByRole('textbox', { name: 'Address (host:port)' })).toHaveValue('192.0.2.20:7700');
    await user.type(within(dialog).getByRole('textbox', { name: 'Code' }), 'orbit maple tunnel');
    await user.click(within(dialog).getByRole('button', { name: 'Pair' }));
    expect(api.callsTo('pairWith')).toEqual([{ address: '192.0.2.20:7700', code: 'orbit maple tunnel', keyChangeId: 'kc1' }]);

    await user.click(await screen.findByRole('button', { name: 'Pair again with a code' }));
    await user.click(screen.getByRole('tab', { name: 'Show my code' }));
    expect(api.callsTo('startPairing')).toContainEqual({ keyChangeId: 'kc1' });
  });

  it('appears when the engine says the key changes changed', async () => {
    const api = apiWithAlice();
    await renderApp(api);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    api.keyChanges = [change];
    await act(async () => {
      api.emit(stamp([{ conn: 'c9', dir: 'local', layer: 'trust', kind: 'trust.key-change', summary: 'Key changed', detail: { changeId: 'kc1', contactId: 'alice', oldPin: ALICE_PIN, newPin: EVE_PIN, resolution: 'detected' } }], 100));
      api.invalidate(['keyChanges']);
    });
    expect(await screen.findByRole('alertdialog', { name: 'Alice’s key changed' })).toBeInTheDocument();
  });
});

describe('pairing dialog', () => {
  it('shows my code in large words and stops pairing on close', async () => {
    const api = apiWithAlice();
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Pair with a code' }));

    const dialog = screen.getByRole('dialog', { name: 'Pair with a code' });
    expect(within(dialog).getByRole('tab', { name: 'Show my code' })).toHaveAttribute('aria-selected', 'true');
    expect(await within(dialog).findByText('orbit')).toBeInTheDocument();
    expect(within(dialog).getByText('tunnel')).toBeInTheDocument();
    expect(dialog).toHaveTextContent('This code works once');
    expect(api.callsTo('startPairing')).toEqual([{}]);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.callsTo('stopPairing').length).toBeGreaterThan(0);
  });

  it('pairs with the typed address and code, then opens the chat with the new contact', async () => {
    const api = apiWithAlice();
    api.pairedContact = makeContact({ id: 'carol', name: 'Carol', verified: true });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Pair with a code' }));
    await user.click(screen.getByRole('tab', { name: 'I have a code' }));
    await user.type(screen.getByRole('textbox', { name: 'Address (host:port)' }), '192.0.2.30:7700');
    await user.type(screen.getByRole('textbox', { name: 'Code' }), 'orbit maple tunnel');
    await user.click(screen.getByRole('button', { name: 'Pair' }));

    expect(api.callsTo('pairWith')).toEqual([{ address: '192.0.2.30:7700', code: 'orbit maple tunnel' }]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Carol', level: 2 })).toBeInTheDocument();
  });

  it('says plainly that nothing was pinned when pairing fails, and shows BAD_PAIRING_CODE as the engine words it', async () => {
    const api = apiWithAlice();
    api.failures.set('pairWith', { code: 'PAIRING_FAILED', message: 'internal words' });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Pair with a code' }));
    await user.click(screen.getByRole('tab', { name: 'I have a code' }));
    await user.type(screen.getByRole('textbox', { name: 'Address (host:port)' }), '192.0.2.30:7700');
    await user.type(screen.getByRole('textbox', { name: 'Code' }), 'orbit maple tunnel');
    await user.click(screen.getByRole('button', { name: 'Pair' }));
    expect(screen.getByRole('alert')).toHaveTextContent('The codes did not match, or someone is in between. Nothing was pinned.');

    api.failures.set('pairWith', { code: 'BAD_PAIRING_CODE', message: 'A pairing code is 3 words; that was 2.' });
    await user.click(screen.getByRole('button', { name: 'Pair' }));
    expect(screen.getByRole('alert')).toHaveTextContent('A pairing code is 3 words; that was 2.');
    expect(screen.getByRole('dialog', { name: 'Pair with a code' })).toBeInTheDocument();
  });
});

describe('verified badge and safety number', () => {
  it('shows the safety number in 3 rows of 4 groups and marks the contact verified', async () => {
    const api = apiWithAlice({ verified: false });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: /^Alice/ }));
    expect(screen.getByRole('img', { name: 'Not verified' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Safety number' }));
    const dialog = screen.getByRole('dialog', { name: 'Safety number with Alice' });
    expect(dialog).toHaveTextContent('You and Alice each open this screen and read the numbers to each other; if they match, nobody is in between');
    const grid = await within(dialog).findByRole('group', { name: 'Safety number' });
    const rows = grid.querySelectorAll('.safety-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('12345 67890 11111 22222');
    // Part of the contact's view: nothing is asked of the engine to show it.
    expect(api.callsTo('safetyNumber')).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Mark as verified' }));
    expect(api.callsTo('markVerified')).toEqual([{ contactId: 'alice', verified: true }]);
    expect(await screen.findByRole('img', { name: 'Verified' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Mark as not verified' })).toBeInTheDocument();
  });
});
