import { describe, expect, it } from 'vitest';

import { LockstepError } from '../core/errors';
import { openExternalLink, vetExternalUrl } from './external-links';

class FakeShell {
  opened: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
}

describe('vetExternalUrl', () => {
  it('lets https links through, normalised', () => {
    expect(vetExternalUrl('https://example.com/docs?a=1#b')).toBe('https://example.com/docs?a=1#b');
    expect(vetExternalUrl('HTTPS://Example.COM')).toBe('https://example.com/');
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://example.com',
    'lockstep://127.0.0.1:7000?pin=x',
    'smb://host/share',
    'data:text/html,<script>1</script>',
    'https://bank.example@evil.example/',
    'https://user:pass@example.com/',
    'not a url',
    '',
    '//example.com',
  ])('refuses %s', (url) => {
    expect(vetExternalUrl(url)).toBeNull();
  });
});

describe('openExternalLink', () => {
  it('opens a vetted link', async () => {
    const shell = new FakeShell();
    await expect(openExternalLink(shell, 'https://example.com/a')).resolves.toBeNull();
    expect(shell.opened).toEqual(['https://example.com/a']);
  });

  it('refuses anything else with BAD_ARGUMENT and opens nothing', async () => {
    const shell = new FakeShell();
    const attempt = openExternalLink(shell, 'file:///etc/passwd');
    await expect(attempt).rejects.toBeInstanceOf(LockstepError);
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(shell.opened).toEqual([]);
  });
});
