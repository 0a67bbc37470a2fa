import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi } from '../test/fake-api';
import { bobIdentity, stamp } from '../test/fixtures';
import { renderApp } from '../test/render-app';

describe('requests in the sidebar', () => {
  it('shows newcomers refused past a cap as one summary line, never a card each', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    await renderApp(api);
    expect(screen.queryByRole('region', { name: /Requests/ })).not.toBeInTheDocument();
    const summary = (count: number) => `${count} unknown connections refused in the last minute (${count} for too many requests waiting for a decision). Contacts you know are never refused for this.`;
    await act(async () => {
      api.emit(stamp([1, 12].map((count) => ({ conn: null, dir: 'local', layer: 'trust', kind: 'trust.throttled', summary: summary(count), detail: { count, windowMs: 60_000, codes: { TOO_MANY_REQUESTS: count } } })), 50));
    });
    const section = await screen.findByRole('region', { name: 'Requests (0)' });
    expect(within(section).getByRole('status')).toHaveTextContent(/^12 unknown connections refused in the last minute/);
    expect(within(section).queryAllByRole('button')).toEqual([]);
  });
});
