import { describe, expect, it } from 'vitest';

import { mainWindowOptions, WINDOW_BACKGROUND } from './window-options';

describe('mainWindowOptions', () => {
  it('locks the page down: isolated, sandboxed, no Node, web security on, no webview', () => {
    expect(mainWindowOptions('/app/out/preload/preload.cjs').webPreferences).toEqual({
      preload: '/app/out/preload/preload.cjs',
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
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    });
  });

  it('opens hidden at a size that fits the chat and the panel', () => {
    expect(mainWindowOptions('/p.cjs')).toMatchObject({ show: false, width: 1280, height: 820, minWidth: 640, minHeight: 600, title: 'Lockstep' });
  });

  it('paints the OS theme before the first frame', () => {
    expect(mainWindowOptions('/p.cjs', { dark: true }).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    expect(mainWindowOptions('/p.cjs', { dark: false }).backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(Object.values(WINDOW_BACKGROUND).every((colour) => /^#[0-9a-f]{6}$/i.test(colour))).toBe(true);
  });
});
