import { describe, expect, it } from 'vitest';

import { denyPermissions, guardNavigation } from './navigation-guard';

/** A webContents that only records what the guard installs. */
class FakeContents {
  listeners = new Map<string, (event: { preventDefault(): void }) => void>();
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  on(name: string, listener: (event: { preventDefault(): void }) => void): this {
    this.listeners.set(name, listener);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

function fire(contents: FakeContents, name: string): boolean {
  let prevented = false;
  contents.listeners.get(name)?.({ preventDefault: () => (prevented = true) });
  return prevented;
}

describe('guardNavigation', () => {
  it('prevents navigation, frame navigation, redirects and webviews', () => {
    const contents = new FakeContents();
    guardNavigation(contents as never);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(fire(contents, name), name).toBe(true);
    }
  });

  it('denies every new window, https or not', () => {
    const contents = new FakeContents();
    guardNavigation(contents as never);
    for (const url of ['https://example.com', 'file:///etc/passwd', 'app://lockstep/index.html']) {
      expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });
});

describe('denyPermissions', () => {
  it('refuses every permission request, check and device', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (fn: (...args: never[]) => unknown) => (handlers.request = fn),
      setPermissionCheckHandler: (fn: (...args: never[]) => unknown) => (handlers.check = fn),
      setDevicePermissionHandler: (fn: (...args: never[]) => unknown) => (handlers.device = fn),
    };
    denyPermissions(session as never);
    const granted: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      (handlers.request as (c: unknown, p: string, cb: (ok: boolean) => void) => void)({}, permission, (ok) => granted.push(ok));
      expect((handlers.check as (c: unknown, p: string) => boolean)({}, permission)).toBe(false);
    }
    expect(granted).toEqual([false, false, false, false, false]);
    expect((handlers.device as (d: unknown) => boolean)({ deviceType: 'hid' })).toBe(false);
  });
});
