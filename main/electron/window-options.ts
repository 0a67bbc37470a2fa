/**
 * The main window's options as data, so a test can read every security switch. The page gets
 * no Node, runs in Chromium's sandbox and sees the preload only through the context bridge.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Painted before the renderer's first frame. The page follows the OS theme (`color-scheme:
 * light dark`), so the window does too, and neither theme flashes the other's colour.
 */
export const WINDOW_BACKGROUND = { light: '#f7f7f8', dark: '#111318' } as const;

export function mainWindowOptions(preloadPath: string, theme: { dark: boolean } = { dark: false }): BrowserWindowConstructorOptions {
  return {
    title: 'Lockstep',
    width: 1280,
    height: 820,
    // Half of a 1366 px laptop screen still fits a window: the one-laptop demo puts two side by side.
    minWidth: 640,
    minHeight: 600,
    show: false,
    backgroundColor: theme.dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
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
      // Middle-click would otherwise ask for a new window; denied anyway, but not even asked.
      disableBlinkFeatures: 'Auxclick',
      // Chromium's spellchecker fetches dictionaries from Google on Linux and Windows: no calls home.
      spellcheck: false,
    },
  };
}
