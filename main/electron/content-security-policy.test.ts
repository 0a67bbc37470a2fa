import { describe, expect, it } from 'vitest';

import { applyContentSecurityPolicy, contentSecurityPolicy, metaContentSecurityPolicy, withPolicy } from './content-security-policy';

describe('contentSecurityPolicy', () => {
  it('denies by default and allows only what the built renderer needs', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('never allows inline code, eval or remote hosts', () => {
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/unsafe-|https?:|\*|blob:/);
  });

  it('leaves out of the meta form what a meta tag ignores', () => {
    expect(metaContentSecurityPolicy()).not.toContain('frame-ancestors');
    expect(metaContentSecurityPolicy()).toContain("default-src 'none'; script-src 'self'");
  });
});

describe('withPolicy', () => {
  it('replaces a policy in any letter case and keeps other headers', () => {
    const headers = withPolicy({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy()] });
  });
});

describe('applyContentSecurityPolicy', () => {
  it('adds the header to every response of the session', () => {
    let hook: ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: unknown) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: (fn: typeof hook) => (hook = fn) } };
    applyContentSecurityPolicy(session as never);
    let answer: unknown;
    hook?.({ responseHeaders: { Server: ['x'] } }, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { Server: ['x'], 'Content-Security-Policy': [contentSecurityPolicy()] } });
    hook?.({}, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
});
