import { describe, expect, it } from 'vitest';

import { viewFromLocation } from './stage-view-param';

describe('the view a window opens on', () => {
  it('is the stage when the entry URL asks for it, by hash or query, else the app', () => {
    expect(viewFromLocation({ hash: '#view=stage', search: '' })).toBe('stage');
    expect(viewFromLocation({ hash: '', search: '?view=stage' })).toBe('stage');
    expect(viewFromLocation({ hash: '', search: '' })).toBe('app');
    expect(viewFromLocation({ hash: '#view=chat', search: '?view=stage' })).toBe('app');
    expect(viewFromLocation({ hash: '#stage', search: '' })).toBe('app');
  });
});
