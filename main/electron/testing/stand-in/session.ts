/**
 * `protocol` and `session` of the stand-in. Chromium cannot load a custom scheme it was not
 * built with, so each scheme main handles is served on a loopback origin of its own: a request
 * to `http://127.0.0.1:PORT/x` reaches main's `protocol.handle` handler as `app://lockstep/x`,
 * and its response passes the session's `webRequest.onHeadersReceived` listener (where main sets
 * the CSP header) on its way to the page, as in Electron.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CustomScheme {
  scheme: string;
  privileges?: Record<string, boolean>;
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export interface OnHeadersReceivedListenerDetails {
  url: string;
  method: string;
  statusCode: number;
  responseHeaders: Record<string, string[]>;
}
type HeadersCallback = (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void;
type HeadersListener = (details: OnHeadersReceivedListenerDetails, callback: HeadersCallback) => void;

export class WebRequest {
  headersListener: HeadersListener | null = null;
  /** Electron keeps one listener per event: a second call replaces the first; null removes it. */
  onHeadersReceived(listener: HeadersListener | null): void {
    this.headersListener = listener;
  }

  /** Run the listener over a response's headers; resolves with the headers to send (null: cancelled). */
  passHeaders(details: OnHeadersReceivedListenerDetails): Promise<Record<string, string[]> | null> {
    const listener = this.headersListener;
    if (!listener) return Promise.resolve(details.responseHeaders);
    return new Promise((resolve) => {
      listener(details, (response) => resolve(response.cancel ? null : (response.responseHeaders ?? details.responseHeaders)));
    });
  }
}

type PermissionListener = (...args: unknown[]) => unknown;

export class Session {
  readonly webRequest = new WebRequest();
  /** Recorded: headless Chromium driven by Playwright asks no permission of its embedder. */
  readonly permissionHandlers: Record<string, PermissionListener | null> = {};
  setPermissionRequestHandler(handler: PermissionListener | null): void {
    this.permissionHandlers.request = handler;
  }
  setPermissionCheckHandler(handler: PermissionListener | null): void {
    this.permissionHandlers.check = handler;
  }
  setDevicePermissionHandler(handler: PermissionListener | null): void {
    this.permissionHandlers.device = handler;
  }
}

export const session = { defaultSession: new Session() };

export class Protocol {
  readonly privileged: CustomScheme[] = [];
  private readonly servers = new Map<string, { server: Server; origin: string }>();
  private readyYet = false;

  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.readyYet) throw new Error('protocol.registerSchemesAsPrivileged can only be called before the app is ready.');
    this.privileged.push(...schemes);
  }

  /** Called by the app when it becomes ready. */
  markReady(): void {
    this.readyYet = true;
  }

  /** Serve `scheme` through `handler`, on a loopback origin of its own. */
  async handle(scheme: string, handler: ProtocolHandler): Promise<void> {
    if (this.servers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled.`);
    const server = createServer((req, res) => void this.answer(scheme, handler, req, res));
    const entry = { server, origin: '' };
    this.servers.set(scheme, entry);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    entry.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.unref();
  }

  isProtocolHandled(scheme: string): boolean {
    return this.servers.has(scheme);
  }

  /** `app://lockstep/x` → `http://127.0.0.1:PORT/x` (unchanged for schemes nobody handles). */
  async toLoopback(url: string): Promise<string> {
    const parsed = new URL(url);
    const entry = this.servers.get(parsed.protocol.slice(0, -1));
    if (!entry) return url;
    while (entry.origin === '') await new Promise((resolve) => setTimeout(resolve, 5));
    hosts.set(entry.origin, parsed.host);
    return `${entry.origin}${parsed.pathname}${parsed.search}${parsed.hash}`;
  }

  /** The page's URL as main would see it: the loopback origin back to its scheme. */
  fromLoopback(url: string): string {
    for (const [scheme, entry] of this.servers) {
      if (entry.origin !== '' && (url === entry.origin || url.startsWith(`${entry.origin}/`))) {
        return `${scheme}://${hosts.get(entry.origin) ?? ''}${url.slice(entry.origin.length) || '/'}`;
      }
    }
    return url;
  }

  private async answer(scheme: string, handler: ProtocolHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = this.servers.get(scheme)?.origin ?? '';
    const url = this.fromLoopback(`${origin}${req.url ?? '/'}`);
    try {
      const response = await handler(new Request(url, { method: req.method ?? 'GET' }));
      const headers: Record<string, string[]> = {};
      response.headers.forEach((value, name) => (headers[name] = [value]));
      const passed = await session.defaultSession.webRequest.passHeaders({ url, method: req.method ?? 'GET', statusCode: response.status, responseHeaders: headers });
      if (passed === null) return void res.destroy();
      res.writeHead(response.status, Object.fromEntries(Object.entries(passed).map(([name, values]) => [name, values.join(', ')])));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      console.error(`stand-in: the ${scheme}:// handler failed for ${url}:`, error);
      res.destroy();
    }
  }
}

/** Which host of the scheme each loopback origin stands for (one host per scheme is all main uses). */
const hosts = new Map<string, string>();

export const protocol = new Protocol();
