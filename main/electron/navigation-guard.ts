/**
 * The window never goes anywhere: the renderer is a single page loaded once, so any navigation,
 * redirect, popup or embedded <webview> can only come from injected content. Links out go
 * through the one vetted opener (external-links.ts), called explicitly over IPC.
 */
import type { Session, WebContents } from 'electron';

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Deny navigation, redirects, new windows and webviews for one webContents. */
export function guardNavigation(contents: GuardedContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

/**
 * Refuse every permission (camera, microphone, notifications, geolocation, HID, serial, …): the
 * page needs none, and the OS notifications Lockstep shows come from main, not the page.
 */
export function denyPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
