/**
 * The module `electron` resolves to when the built main bundle runs in plain Node under the
 * stand-in (register.mjs, hooks.mjs): the same named exports as Electron's main-process module,
 * backed by a real Chromium (see the modules beside this one). After main's module has run, the
 * app becomes ready, as Electron emits `ready` after the entry script.
 */
import { app } from './app';
import { BrowserWindow } from './browser-window';
import { onCommand } from './control';
import { ipcMain } from './ipc-main';
import { clipboard, dialog, nativeTheme, Notification, safeStorage, screen, shell } from './services';
import { protocol, session } from './session';

export { app, BrowserWindow, clipboard, dialog, ipcMain, nativeTheme, Notification, protocol, safeStorage, screen, session, shell };

/** What Electron adds to `process` that main reads. */
export interface Process {
  defaultApp?: boolean;
}

// Electron sets this when it runs an app from a folder (`electron .`, as npm start does).
(process as Process).defaultApp = true;

onCommand((command) => {
  if (command.kind === 'quit') app.quit();
  else if (command.kind === 'open-window') {
    const first = BrowserWindow.getAllWindows()[0];
    void new BrowserWindow({ show: true, webPreferences: first?.options.webPreferences ?? {} }).loadURL(command.url);
  } else if (command.kind === 'focus') BrowserWindow.getAllWindows().find((w) => w.webContents.id === command.contentsId)?.focus();
  else if (command.kind === 'blur') BrowserWindow.blurAll();
  else if (command.kind === 'load-url') void windowOf(command.contentsId)?.loadURL(command.url);
  else if (command.kind === 'reload') void windowOf(command.contentsId)?.webContents.reload();
  else if (command.kind === 'send') BrowserWindow.getAllWindows().find((w) => w.webContents.id === command.contentsId)?.webContents.send(command.channel, ...command.args);
});
function windowOf(contentsId: number): BrowserWindow | undefined {
  return BrowserWindow.getAllWindows().find((w) => w.webContents.id === contentsId);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => app.quit());

setTimeout(() => app.becomeReady(), 0);

export default { app, BrowserWindow, clipboard, dialog, ipcMain, nativeTheme, Notification, protocol, safeStorage, screen, session, shell };
