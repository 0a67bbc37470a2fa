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
      spellcheck: false,
    });
  });

  it('opens hidden at a size that fits the chat and the panel, painted dark first', () => {
    const options = mainWindowOptions('/p.cjs');
    expect(options).toMatchObject({ show: false, width: 1280, height: 820, minWidth: 900, minHeight: 600, title: 'Lockstep' });
    expect(options.backgroundColor).toBe(WINDOW_BACKGROUND);
    expect(WINDOW_BACKGROUND).toMatch(/^#[0-9a-f]{6}$/i);
  });
});
