import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi } from '../../test/fake-api';
import { ALICE_FINGERPRINT, ALICE_PIN, bobIdentity, stamp } from '../../test/fixtures';
import { renderApp } from '../../test/render-app';

describe('nearby', () => {
  it('is off until an interface is picked, then lists peers as claims offering only pairing', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    const { user } = await renderApp(api);
    const section = screen.getByRole('region', { name: 'Nearby' });

    await user.selectOptions(within(section).getByRole('combobox', { name: 'Network interface' }), '198.51.100.7');
    await user.click(within(section).getByRole('button', { name: 'Look for nearby peers' }));
    expect(api.callsTo('startDiscovery')).toEqual([{ interface: '198.51.100.7' }]);
    expect(section).toHaveTextContent('Found on the network: a name and key are only claims until you pair or compare fingerprints');

    api.discovery = {
      ...api.discovery,
      peers: [
        { instance: 'a', name: 'Alice', pin: ALICE_PIN, fingerprint: ALICE_FINGERPRINT, address: '198.51.100.9', port: 7700, known: true },
        { instance: 'c', name: 'Carol', pin: 'sha256/c', fingerprint: 'CCCC-DDDD-E', address: '198.51.100.11', port: 7701, known: false },
      ],
    };
    await act(async () => {
      api.emit(stamp([{ conn: null, dir: 'in', layer: 'app', kind: 'discovery.found', summary: 'Found Carol', detail: { change: 'found', instance: 'c', name: 'Carol', pin: 'sha256/c', fingerprint: 'CCCC-DDDD-E', address: '198.51.100.11', port: 7701 } }], 50));
      api.invalidate(['discovery']);
    });

    const list = await within(section).findByRole('list', { name: 'Nearby peers' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('198.51.100.9:7700');
    expect(items[0]).toHaveTextContent('already a contact');
    expect(items[1]).not.toHaveTextContent('already a contact');
    expect(within(items[1]!).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Pair by code with Carol']);

    await user.click(within(items[1]!).getByRole('button', { name: 'Pair by code with Carol' }));
    const dialog = screen.getByRole('dialog', { name: 'Pair with a code' });
    expect(within(dialog).getByRole('textbox', { name: 'Address (host:port)' })).toHaveValue('198.51.100.11:7701');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    await user.click(within(section).getByRole('button', { name: 'Stop' }));
    expect(api.callsTo('stopDiscovery')).toEqual([{}]);
    expect(within(section).queryByRole('list', { name: 'Nearby peers' })).not.toBeInTheDocument();
  });
});
