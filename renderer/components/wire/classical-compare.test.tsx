/**
 * The classical comparison in the drills panel (presenter mode shows the same panel): one button
 * asks the engine to reconnect once with X25519 alone, and the recorded comparison (a real
 * session, renderer/test/pq-session.json) appears as a two-column table.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../../shared/events';
import recorded from '../../test/pq-session.json';
import { makeContact } from '../../test/fake-api';
import { parseSession } from '../../state/replay-session';
import { DrillFakeApi } from './drill-fake';
import { DrillsPanel } from './drills-panel';
import { renderWith } from './render-wire';

const parsed = parseSession(JSON.stringify(recorded));
if (!parsed.ok) throw new Error(parsed.error);
const events: LockstepEvent[] = parsed.session.events;
const bob = makeContact({ id: 'bob', name: 'Bob' });

describe('the classical comparison in the drills panel', () => {
  it('asks the engine to reconnect once classical-only, on the selected contact', async () => {
    const api = new DrillFakeApi();
    const { user } = await renderWith(api, <DrillsPanel contact={bob} events={[]} conns={null} />);
    expect(screen.queryByRole('table', { name: 'Hybrid and classical handshakes compared' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Compare: connect once classical-only (X25519)' }));
    expect(api.callsTo('compareClassical')).toEqual([{ contactId: 'bob' }]);
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting to Bob once with X25519 alone');
  });

  it('shows both handshakes side by side: group, hello sizes, time, and the verdict on a recording', async () => {
    await renderWith(new DrillFakeApi(), <DrillsPanel contact={bob} events={events} conns={null} />);
    const table = screen.getByRole('table', { name: 'Hybrid and classical handshakes compared' });
    const row = (label: string) => within(table).getByRole('row', { name: new RegExp(`^${label}`) });
    expect(row('Group')).toHaveTextContent('X25519MLKEM768');
    expect(row('Group')).toHaveTextContent(/X25519$/);
    expect(row('ServerHello').textContent).toMatch(/1,\d{3} bytes.*\d{2,3} bytes/);
    expect(row('A recording, later')).toHaveTextContent('Safe against harvest now, decrypt later');
    expect(row('A recording, later')).toHaveTextContent('Classical only (X25519)');
    expect(screen.getByRole('article', { name: /Classical-only handshake \(X25519\): Observed/ })).toBeInTheDocument();
  });
});
