/**
 * The shell as the stand-in runs it: the page's `window.lockstep` is the object the shipped
 * preload exposes, calls reach main's handlers through IPC and the sender check, the renderer is
 * served through main's own app:// handler with the CSP header main sets, and a second page —
 * a foreign origin, or even our own renderer in another window — is refused by the sender check.
 */
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The policy module is pure (its `electron` import is type-only): the expected header, from the shell's own code.
// eslint-disable-next-line no-restricted-imports -- see above
import { contentSecurityPolicy } from '../../main/electron/content-security-policy';
import { channelNames } from '../../shared/ipc-contract';
import { callFrom, DesktopApp } from './harness/desktop-app';
import type { Peer } from './harness/peer';
import { useStage } from './harness/stage';

const stage = useStage();
let probe: Peer;
let foreign: Server;
let foreignUrl = '';

beforeAll(async () => {
  probe = await stage.peer('Probe');
  foreign = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Not Lockstep</title><p>a foreign page</p>'));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => foreign?.close(resolve));
});

function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the window main opens', () => {
  it("holds the preload's own window.lockstep: one method per contract call, frozen, not replaceable", async () => {
    const surface = await probe.page.evaluate(() => {
      const page = globalThis as unknown as { lockstep?: Record<string, unknown> };
      const api = page.lockstep ?? {};
      try {
        (page as { lockstep: unknown }).lockstep = {};
      } catch {
        // strict-mode assignment to a read-only property throws: also "not replaced"
      }
      return { keys: Object.keys(api), types: [...new Set(Object.values(api).map((v) => typeof v))], frozen: Object.isFrozen(api), replaced: page.lockstep !== api };
    });
    expect([...surface.keys].sort()).toEqual([...channelNames, 'onEvents'].sort());
    expect(surface.types).toEqual(['function']);
    expect(surface.frozen).toBe(true);
    expect(surface.replaced).toBe(false);
  });

  it("answers through main's handlers: envelopes, argument checks and the shell's own calls", async () => {
    expect(await probe.call('getIdentity', {})).toEqual({ ok: true, value: null });
    expect(await probe.call('sendMessage', { contactId: 'x', text: '' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(await callFrom(probe.page, 'getNetwork', { sneaky: true } as never)).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    // The shell's vetted opener: https goes to the OS browser (recorded by the stand-in), file: is refused.
    expect(await probe.call('openExternal', { url: 'https://example.org/' })).toEqual({ ok: true, value: null });
    expect(await probe.call('openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(await probe.call('copyText', { text: 'sha256/copied' })).toEqual({ ok: true, value: null });
    await probe.app.until('the link to reach the desktop', () => (probe.app.external.length > 0 ? true : undefined));
    expect(probe.app.external).toEqual(['https://example.org/']);
    expect(probe.copied).toEqual(['sha256/copied']);
    expect(probe.problems.all).toEqual([]);
  });

  it("is served through main's app:// handler with the CSP header main sets, and lives under it", async () => {
    const origin = new URL(probe.page.url()).origin;
    const index = await get(`${origin}/index.html`);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(contentSecurityPolicy());
    // The handler's own refusals: a path out of the renderer folder, a file type it does not serve.
    expect((await get(`${origin}/%2e%2e/main/index.js`)).status).toBe(404);
    expect((await get(`${origin}/../package.json`)).status).toBe(404);
    // The page obeys the policy: an image from elsewhere is refused (img-src 'self' data:).
    const violated = await probe.page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const doc = (globalThis as unknown as { document: { addEventListener(t: string, l: (e: { violatedDirective: string }) => void): void; createElement(t: string): { src: string }; body: { append(n: unknown): void } } }).document;
          doc.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
          const img = doc.createElement('img');
          img.src = src;
          doc.body.append(img);
        }),
      `${foreignUrl}pixel.png`,
    );
    expect(violated).toBe('img-src');
  });
});

describe("main's navigation guard", () => {
  it('keeps the window on its page when the page tries to go elsewhere (will-navigate vetoed)', async () => {
    const before = probe.page.url();
    const refused = probe.page.waitForEvent('requestfailed', (request) => request.url().startsWith(foreignUrl));
    await probe.page.evaluate((url) => (globalThis as unknown as { location: { assign(u: string): void } }).location.assign(url), `${foreignUrl}elsewhere`);
    expect((await refused).failure()?.errorText).toMatch(/ABORTED/i);
    expect(probe.page.url()).toBe(before);
    expect(await probe.call('getIdentity', {})).toEqual({ ok: true, value: null });
  });
});

describe('a lockstep:// link on the command line', () => {
  it('opens Add contact with the invite, for the person to check and save', async () => {
    const bob = await stage.peer('Bob (link)', { identity: 'Bob' });
    const invite = (await bob.call('getNetwork', {})) as { ok: true; value: { invite: string | null } };
    expect(invite.value.invite).toMatch(/^lockstep:\/\//);
    // Alice has used the app before; now the OS starts it for a clicked link (Linux and Windows pass it in argv).
    const first = await stage.peer('Alice (link)', { identity: 'Alice' });
    const home = first.app.home;
    await stage.close(first, { keepHome: true });
    const alice = await stage.peer('Alice (link)', { home, args: [invite.value.invite!] });
    const dialog = alice.page.getByRole('dialog', { name: 'Add contact' });
    await dialog.waitFor({ timeout: 15_000 });
    // The link is checked at once: the dialog shows what it says, and nothing is saved without her.
    const says = dialog.getByRole('region', { name: 'What this invite says' });
    await says.waitFor();
    expect(await says.textContent()).toContain('Bob');
    expect(await alice.call('listContacts', {})).toEqual({ ok: true, value: [] });
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    const contacts = (await alice.call('listContacts', {})) as { ok: true; value: { name: string; pin: string }[] };
    expect(contacts.value.map((c) => [c.name, c.pin])).toEqual([['Bob', (await bob.identity()).pin]]);
  });
});

describe('a second start on a profile that is open', () => {
  it('hands its lockstep:// link to the running app and exits; the running window offers it', async () => {
    const dave = await stage.peer('Dave (second start)', { identity: 'Dave' });
    const invite = ((await dave.call('getNetwork', {})) as { ok: true; value: { invite: string | null } }).value.invite!;
    const carol = await stage.peer('Carol', { identity: 'Carol', profile: 'carol' });
    // The OS starts the app again for a clicked link: same home, same profile, the link in argv.
    const again = await DesktopApp.launch({ label: 'Carol again', home: carol.app.home, args: ['--profile', 'carol', '--port', String(carol.port), invite] });
    expect(await again.exited, again.log()).toBe(0);
    expect(again.log()).toContain('already running with the profile "carol"');
    const says = carol.page.getByRole('dialog', { name: 'Add contact' }).getByRole('region', { name: 'What this invite says' });
    await says.waitFor({ timeout: 15_000 });
    expect(await says.textContent()).toContain('Dave');
  });
});

describe("main's sender check", () => {
  it('refuses a call from a foreign page in another window, which has the same preload', async () => {
    const other = await probe.app.openWindow(foreignUrl);
    expect(await other.page.title()).toBe('Not Lockstep');
    const answer = await callFrom(other.page, 'getIdentity', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    const copy = await callFrom(other.page, 'copyText', { text: 'from a stranger' });
    expect(copy).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(probe.copied).not.toContain('from a stranger');
    // Our own window is still answered.
    expect(await probe.call('getIdentity', {})).toEqual({ ok: true, value: null });
  });

  it('refuses our own renderer loaded in a window that is not the main window', async () => {
    const other = await probe.app.openWindow('app://lockstep/index.html');
    expect(new URL(other.page.url()).origin).toBe(new URL(probe.page.url()).origin);
    expect(await callFrom(other.page, 'getIdentity', {})).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(await probe.call('getIdentity', {})).toEqual({ ok: true, value: null });
  });

  it('quits cleanly: the engine closes, the app exits 0', async () => {
    expect(await probe.app.quit()).toBe(0);
    expect(probe.app.errorBoxes).toEqual([]);
  });
});
