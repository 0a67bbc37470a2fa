/**
 * The Electron entry: app lifecycle and wiring, nothing else. Every decision lives in a small
 * module beside this one (and is tested there); this file hands them the real Electron objects.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { app, BrowserWindow, clipboard, dialog, ipcMain, nativeTheme, Notification, protocol, safeStorage, screen, session, shell } from 'electron';

import type { LockstepEvent } from '../../shared/events';
import type { LockstepHandlers } from '../../shared/ipc-contract';
import { engineHandlers } from '../core/api/handlers';
import { prepareDemoProfiles } from '../core/demo/demo-profiles';
import { openMessenger, type Messenger } from '../core/messenger/messenger';
import { applyContentSecurityPolicy } from './content-security-policy';
import { demoWindowBounds } from './demo-window';
import { desktopEngineOptions } from './engine-options';
import { INVITE_SCHEME, inviteFromArgv } from './deep-link';
import { forwardEvents } from './event-forwarder';
import { nativeBindingPath } from './native-binding';
import { denyPermissions, guardNavigation } from './navigation-guard';
import { createMessageNotifier, type MessageNotice } from './notifications';
import { parseLaunchArgs, prepareProfileDirs, profilePaths, type LaunchOptions, type ProfilePaths } from './profile';
import { handleRendererProtocol, RENDERER_ENTRY_URL, rendererScheme } from './renderer-protocol';
import { registerHandlers } from './ipc';
import { safeStorageProtector } from './key-protector';
import { trustedSenderCheck } from './sender-check';
import { shellHandlers } from './shell-handlers';
import { closeEngineOnQuit } from './shutdown';
import { mainWindowOptions } from './window-options';

/** `out/`: this file is bundled to out/main/index.js, beside out/preload and out/renderer. */
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');

let mainWindow: BrowserWindow | null = null;
let engine: Messenger | null = null;
/** An invite link that arrived before the engine was up. */
let pendingInvite: string | null = null;

/** Hand a clicked invite link to the window, which asks the person before adding anyone. */
function offerInvite(invite: string | null): void {
  if (!invite) return;
  if (!engine) {
    pendingInvite = invite;
    return;
  }
  pendingInvite = null;
  engine.events.emit({
    conn: null,
    dir: 'local',
    layer: 'app',
    kind: 'app.invite-opened',
    summary: 'An invite link was opened: check the name and address, then save the contact.',
    detail: { invite },
  });
}

function main(): void {
  const launch = parseLaunchArgs(process.argv.slice(1));
  if (!launch.ok) return fail('Lockstep could not start', launch.message, 2);
  if (launch.value.demoSetup) return runDemoSetup();
  const paths = profilePaths(app.getPath('userData'), launch.value.profile);
  // Before the lock: requestSingleInstanceLock locks the userData directory, so this makes it per profile.
  prepareProfileDirs(paths);
  app.setPath('userData', paths.userDataDir);
  if (!app.requestSingleInstanceLock()) {
    console.error(`Lockstep is already running with the profile "${launch.value.profile}".`);
    return app.quit();
  }
  protocol.registerSchemesAsPrivileged([rendererScheme]);
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents));
  app.on('second-instance', (_event, argv) => {
    showWindow();
    offerInvite(inviteFromArgv(argv));
  });
  // macOS delivers clicked links as an event, also before the app is ready.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    offerInvite(inviteFromArgv([url]));
  });
  if (process.defaultApp === undefined) app.setAsDefaultProtocolClient(INVITE_SCHEME);
  // The engine lives as long as the window: a closed window is a peer that went offline.
  app.on('window-all-closed', () => app.quit());
  app.whenReady()
    .then(() => start(launch.value, paths))
    .catch((error: unknown) => fail('Lockstep could not start', startupMessage(error), 1));
}

async function start(launch: LaunchOptions, paths: ProfilePaths): Promise<void> {
  denyPermissions(session.defaultSession);
  applyContentSecurityPolicy(session.defaultSession);
  handleRendererProtocol(protocol, join(outDir, 'renderer'));
  const messenger = await openMessenger(desktopEngineOptions(launch, paths, { nativeBinding: nativeBindingPath(outDir), protector: safeStorageProtector(safeStorage) }));
  closeEngineOnQuit(app, () => messenger.close());
  const handlers: LockstepHandlers = { ...engineHandlers(messenger), ...shellHandlers({ clipboard, shell }) };
  registerHandlers(ipcMain, handlers, trustedSenderCheck(ownContentsId));
  const window = createWindow(launch);
  forwardEvents(messenger.events, window.webContents);
  engine = messenger;
  offerInvite(pendingInvite ?? inviteFromArgv(process.argv));
  notifyNewMessages(messenger, handlers);
}

function createWindow(launch: LaunchOptions): BrowserWindow {
  const preload = join(outDir, 'preload', 'preload.cjs');
  const options = mainWindowOptions(preload, { dark: nativeTheme.shouldUseDarkColors });
  const window = new BrowserWindow({
    ...options,
    // The builder (tested as data) already sets these; spelled out here too so that static
    // scanners, which read only the literal at this call, see them as well.
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  if (launch.demoSide) window.setBounds(demoWindowBounds(screen.getPrimaryDisplay().workArea, launch.demoSide));
  // Two windows on one projected laptop: the title says whose is whose.
  if (launch.profile !== 'default') window.setTitle(`Lockstep — ${launch.profile}`);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  void window.loadURL(RENDERER_ENTRY_URL);
  mainWindow = window;
  return window;
}

function ownContentsId(): number | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null;
}

function showWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function notifyNewMessages(messenger: Messenger, handlers: LockstepHandlers): void {
  if (!Notification.isSupported()) return;
  const notify = createMessageNotifier({
    isWindowFocused: () => mainWindow?.isFocused() ?? false,
    contactName: async (id) => (await handlers.listContacts({})).find((contact) => contact.id === id)?.name ?? null,
    show: showNotice,
  });
  messenger.events.subscribeBatches((batch: LockstepEvent[]) => void notify(batch));
}

function showNotice(notice: MessageNotice): void {
  const note = new Notification({ title: notice.title, body: notice.body });
  note.on('click', showWindow);
  note.show();
}

/** `--demo-setup`: make the Alice and Bob profiles (pinned to each other), then exit. */
function runDemoSetup(): void {
  const profilesDir = dirname(profilePaths(app.getPath('userData'), 'demo').profileDir);
  app.whenReady()
    .then(() => prepareDemoProfiles({ profilesDir, nativeBinding: nativeBindingPath(outDir) }))
    .then(() => app.exit(0))
    .catch((error: unknown) => fail('Lockstep could not prepare the demo', startupMessage(error), 1));
}

/** Startup errors are shown to the person at the machine; the engine's have a sentence for them. */
function startupMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(title: string, message: string, exitCode: number): void {
  console.error(`${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(exitCode);
}

main();
