import { describe, expect, it } from 'vitest';

import { closeEngineOnQuit, type QuitSource } from './shutdown';

class FakeApp implements QuitSource {
  listener: ((event: { preventDefault(): void }) => void) | null = null;
  quits = 0;
  prevented = 0;
  on(_event: 'before-quit', listener: (event: { preventDefault(): void }) => void): void {
    this.listener = listener;
  }
  quit(): void {
    this.quits += 1;
    this.beforeQuit();
  }
  beforeQuit(): void {
    this.listener?.({ preventDefault: () => (this.prevented += 1) });
  }
}

describe('closeEngineOnQuit', () => {
  it('holds the quit until the engine has closed, closing it once', async () => {
    const app = new FakeApp();
    let closes = 0;
    let finish = () => {};
    closeEngineOnQuit(app, () => { closes += 1; return new Promise<void>((resolve) => (finish = resolve)); });
    app.beforeQuit();
    app.beforeQuit();
    expect(app.prevented).toBe(2);
    expect(app.quits).toBe(0);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closes).toBe(1);
    expect(app.quits).toBe(1);
    expect(app.prevented).toBe(2);
  });

  it('quits anyway when closing fails or hangs', async () => {
    const failing = new FakeApp();
    closeEngineOnQuit(failing, async () => { throw new Error('boom'); });
    const hanging = new FakeApp();
    closeEngineOnQuit(hanging, () => new Promise<void>(() => {}), 20);
    const quiet = console.error;
    console.error = () => {};
    try {
      failing.beforeQuit();
      hanging.beforeQuit();
      await new Promise((resolve) => setTimeout(resolve, 60));
    } finally {
      console.error = quiet;
    }
    expect(failing.quits).toBe(1);
    expect(hanging.quits).toBe(1);
  });
});
