import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi } from '../test/fake-api';
import { bobIdentity } from '../test/fixtures';
import { renderApp } from '../test/render-app';
import { runtimeGapWords } from '../state/runtime-gaps';

function apiWithRuntime(runtime: FakeApi['network']['runtime']) {
  const api = new FakeApi();
  api.identity = bobIdentity;
  api.network = { ...api.network, runtime };
  return api;
}

describe('the identity card on a runtime that lacks TLS features', () => {
  it('says nothing when the runtime gives everything', async () => {
    await renderApp(apiWithRuntime({ gaps: [], probeProblem: null }));
    expect(screen.getByRole('heading', { name: 'Your identity' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /does not show/ })).not.toBeInTheDocument();
  });

  it('names each missing feature in words (BoringSSL: no shared signature algorithms, its own cipher order)', async () => {
    await renderApp(apiWithRuntime({ gaps: ['signature-algorithms', 'cipher-selection'], probeProblem: null }));
    const card = screen.getByRole('region', { name: 'What this runtime’s TLS does not show' });
    expect(within(card).getAllByRole('listitem').map((li) => li.textContent)).toEqual([runtimeGapWords['signature-algorithms'], runtimeGapWords['cipher-selection']]);
    expect(within(card).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('gives the probe’s error code when the start-up check failed', async () => {
    await renderApp(apiWithRuntime({ gaps: ['signature-algorithms', 'cipher-selection', 'keylog', 'exporter', 'alert-names'], probeProblem: 'ERR_SSL_NO_CIPHER_MATCH' }));
    const card = screen.getByRole('region', { name: 'What this runtime’s TLS does not show' });
    expect(within(card).getByRole('alert')).toHaveTextContent('could not finish (ERR_SSL_NO_CIPHER_MATCH)');
    expect(within(card).getAllByRole('listitem')).toHaveLength(5);
  });
});
