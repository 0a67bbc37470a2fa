import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { contentSecurityPolicy } from './content-security-policy';
import { handleRendererProtocol, isRendererUrl, RENDERER_ENTRY_URL, rendererFilePath, rendererScheme, serveRendererFile } from './renderer-protocol';

const root = join(mkdtempSync(join(tmpdir(), 'lockstep-renderer-')), 'renderer');

beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Lockstep</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, '..', 'secret.txt'), 'outside');
  writeFileSync(join(root, '..', 'secret.js'), 'outside');
});

describe('isRendererUrl', () => {
  it('accepts only app://lockstep pages', () => {
    expect(isRendererUrl(RENDERER_ENTRY_URL)).toBe(true);
    expect(isRendererUrl('app://lockstep/assets/x.js')).toBe(true);
    for (const url of ['app://evil/index.html', 'file:///index.html', 'https://lockstep/index.html', 'about:blank', 'not a url', '']) {
      expect(isRendererUrl(url), url).toBe(false);
    }
  });
});

describe('rendererFilePath', () => {
  it('maps the root and files to paths under the renderer directory', () => {
    expect(rendererFilePath(root, 'app://lockstep/')).toBe(join(root, 'index.html'));
    expect(rendererFilePath(root, 'app://lockstep/assets/index-abc.js?v=1#x')).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it.each([
    'app://lockstep/../secret.js',
    'app://lockstep/%2e%2e/secret.js',
    'app://lockstep/assets/%2e%2e%2f%2e%2e%2fsecret.js',
    'app://lockstep/..%5c..%5csecret.js',
    'app://lockstep/%2e%2e%5c%2e%2e%5csecret.js',
  ])('never resolves %s outside the renderer directory', (url) => {
    const path = rendererFilePath(root, url);
    expect(path === null || path.startsWith(root + sep)).toBe(true);
    expect(path).not.toBe(join(root, '..', 'secret.js'));
  });

  it.each([
    'app://lockstep/index.html%00.js',
    'app://lockstep/%E0%A4%A',
    'app://other/index.html',
    'app://lockstep/secret.txt',
  ])('refuses %s', (url) => {
    expect(rendererFilePath(root, url)).toBeNull();
  });
});

describe('serveRendererFile', () => {
  it('serves a file with its type, the CSP and nosniff', async () => {
    const response = await serveRendererFile(root, RENDERER_ENTRY_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Lockstep</title>');
  });

  it('answers 404 for a missing file and for a path outside the renderer', async () => {
    expect((await serveRendererFile(root, 'app://lockstep/missing.js')).status).toBe(404);
    expect((await serveRendererFile(root, 'app://lockstep/%2e%2e/secret.js')).status).toBe(404);
  });
});

describe('the scheme', () => {
  it('is standard and secure, and handled by the file server', async () => {
    expect(rendererScheme).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, codeCache: true } });
    let handler: ((request: { url: string }) => Promise<Response>) | undefined;
    handleRendererProtocol({ handle: (scheme: string, fn: typeof handler) => { expect(scheme).toBe('app'); handler = fn; } } as never, root);
    expect((await handler?.({ url: 'app://lockstep/assets/index-abc.js' }))?.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});
