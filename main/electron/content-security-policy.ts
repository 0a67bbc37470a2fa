/**
 * The renderer's Content Security Policy: nothing by default, then only what the built renderer
 * needs. The page talks to the engine through the preload, never over the network, so
 * `connect-src 'none'`; no inline script or style, so an injected string cannot run.
 */
import type { Session } from 'electron';

/** Directives that only work in a header (a `<meta>` tag ignores them, with a console warning). */
const HEADER_ONLY = new Set(['frame-ancestors']);

const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  // data: for QR codes and small inlined images that Vite turns into data URLs.
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The policy as sent in the `Content-Security-Policy` header. */
export function contentSecurityPolicy(): string {
  return DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The same policy for the renderer's `<meta http-equiv="Content-Security-Policy">` tag. */
export function metaContentSecurityPolicy(): string {
  return DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/**
 * Add the header to every response the session receives, replacing any policy a response
 * brought (header names arrive in any case).
 */
export function applyContentSecurityPolicy(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withPolicy(details.responseHeaders ?? {}) });
  });
}

/** Response headers with our policy in place of any other. */
export function withPolicy(headers: Record<string, string[]>): Record<string, string[]> {
  const kept = Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [contentSecurityPolicy()] };
}
