/**
 * The main window's options as data, so a test can read every security switch. The page gets
 * no Node, runs in Chromium's sandbox and sees the preload only through the context bridge.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Painted before the renderer's first frame, so a dark UI does not flash white. */
export const WINDOW_BACKGROUND = '#111318';

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Lockstep',
    width: 1280,
    height: 820,
    // The chat and the "under the hood" panel side by side still fit half of a 1920 px projector.
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Chromium's spellchecker fetches dictionaries from Google on Linux and Windows: no calls home.
      spellcheck: false,
    },
  };
}
