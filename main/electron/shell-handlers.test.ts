import { describe, expect, it } from 'vitest';

import { shellHandlers } from './shell-handlers';

describe('shellHandlers', () => {
  it('copies text to the clipboard and opens only vetted links', async () => {
    const copied: string[] = [];
    const opened: string[] = [];
    const handlers = shellHandlers({
      clipboard: { writeText: async (text: string) => void copied.push(text) },
      shell: { openExternal: async (url: string) => void opened.push(url) },
    });
    await expect(handlers.copyText({ text: 'sha256/abc' })).resolves.toBeNull();
    await handlers.openExternal({ url: 'https://example.com/' });
    await expect(handlers.openExternal({ url: 'http://example.com/' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(copied).toEqual(['sha256/abc']);
    expect(opened).toEqual(['https://example.com/']);
  });
});
