/**
 * The built renderer (out/renderer) served over http://127.0.0.1 on a free port, with the same
 * Content-Security-Policy header the Electron shell puts on every response — so a page that
 * works here obeys the policy it meets in the app. Static files only; nothing else is answered.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The policy module is pure: its only `electron` import is `import type` (erased at runtime), so
// the harness can send the shell's exact header without loading Electron.
// eslint-disable-next-line no-restricted-imports -- see above; the policy belongs to the shell, the header to this test
import { contentSecurityPolicy } from '../../../main/electron/content-security-policy';

/** The exact header value the shell sends (main/electron/content-security-policy.ts). */
export const SHELL_CSP = contentSecurityPolicy();

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Where `npx vite build` (vite.config.ts) puts the renderer; LOCKSTEP_RENDERER_DIR overrides it. */
export const RENDERER_DIR = process.env.LOCKSTEP_RENDERER_DIR ? resolve(process.env.LOCKSTEP_RENDERER_DIR) : join(ROOT, 'out', 'renderer');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface RendererServer {
  /** `http://127.0.0.1:PORT/` — the app's index.html. */
  url: string;
  /** Every path requested, in order (to check that nothing unexpected was fetched). */
  requests: string[];
  close(): Promise<void>;
}

/** Fail early, with the command to run, when the renderer has not been built. */
export function assertRendererBuilt(dir = RENDERER_DIR): void {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`No built renderer in ${dir}: run \`npx vite build\` (or \`npm run build\`) first.`);
  }
}

/** The file under `dir` a URL path names, or null if it names none (or tries to leave `dir`). */
export function resolveStatic(dir: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split(/[?#]/, 1)[0] ?? '/');
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const relative = normalize(path === '/' || path === '' ? '/index.html' : path).replace(/^[/\\]+/, '');
  const file = resolve(dir, relative);
  if (file !== dir && !file.startsWith(dir + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export async function serveRenderer(dir = RENDERER_DIR): Promise<RendererServer> {
  assertRendererBuilt(dir);
  const root = resolve(dir);
  const csp = SHELL_CSP;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const urlPath = req.url ?? '/';
    requests.push(urlPath);
    const common = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    const file = resolveStatic(root, urlPath);
    if (!file) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { ...common, 'Content-Type': mimeType(file), 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
