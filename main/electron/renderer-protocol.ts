/**
 * Serves the built renderer from `app://lockstep/…` instead of `file://`. The packaged app sets
 * the `grantFileProtocolExtraPrivileges` fuse to false, so a `file://` page would be treated like
 * one in an ordinary browser — which refuses Vite's module scripts there. A standard, secure
 * custom scheme gives the page a real origin ('self' in the CSP means exactly our files), and
 * this handler is the only code that decides which files the page can read.
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative } from 'node:path';

import type { CustomScheme, Protocol } from 'electron';

import { contentSecurityPolicy } from './content-security-policy';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'lockstep';
/** What the main window loads. */
export const RENDERER_ENTRY_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** Registered before `ready`: standard for real origins and relative URLs, secure like https. */
export const rendererScheme: CustomScheme = {
  scheme: RENDERER_SCHEME,
  privileges: { standard: true, secure: true, codeCache: true },
};

/** Everything Vite emits for the renderer; any other file type is refused. */
const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/** Is this URL one of the renderer's own pages? Node gives non-special schemes no origin, so compare parts. */
export function isRendererUrl(raw: string): boolean {
  const url = safeUrl(raw);
  return url !== null && url.protocol === `${RENDERER_SCHEME}:` && url.host === RENDERER_HOST;
}

/**
 * The file under `root` a request URL names, or null for another host, an unknown file type or
 * a path that would leave `root` (`..`, encoded or not).
 */
export function rendererFilePath(root: string, raw: string): string | null {
  const url = safeUrl(raw);
  if (url === null || !isRendererUrl(raw)) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const wanted = path === '/' ? '/index.html' : path;
  const file = join(root, normalize(wanted));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return extname(file).toLowerCase() in MIME_TYPES ? file : null;
}

/** Answer one request: the file with its type and the CSP header, or a bare 404. */
export async function serveRendererFile(root: string, raw: string): Promise<Response> {
  const file = rendererFilePath(root, raw);
  if (file === null) return notFound();
  try {
    const body = await readFile(file);
    const headers = {
      'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
    };
    return new Response(body, { status: 200, headers });
  } catch {
    return notFound();
  }
}

/** Install the handler (after `ready`). */
export function handleRendererProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(RENDERER_SCHEME, (request) => serveRendererFile(root, request.url));
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

function safeUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
