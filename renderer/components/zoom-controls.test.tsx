import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeApi } from '../test/fake-api';
import { bobIdentity } from '../test/fixtures';
import { renderApp } from '../test/render-app';

describe('zoom', () => {
  it('scales the root font size with A+/A− and Ctrl+=/Ctrl+-, and remembers it', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    const { user } = await renderApp(api);

    await user.click(screen.getByRole('button', { name: 'Larger text' }));
    expect(document.documentElement.style.fontSize).toBe('110%');
    await user.keyboard('{Control>}={/Control}');
    expect(document.documentElement.style.fontSize).toBe('125%');
    await user.keyboard('{Control>}-{/Control}');
    await user.click(screen.getByRole('button', { name: 'Smaller text' }));
    expect(document.documentElement.style.fontSize).toBe('100%');
    await user.click(screen.getByRole('button', { name: 'Smaller text' }));
    expect(localStorage.getItem('lockstep.zoom')).toBe('0.9');
  });
});
