import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Three projects: the engine and shell in plain Node, the renderer in jsdom, and the browser
// end-to-end suite (real Chromium, real engines), which needs the built renderer in out/renderer.
export default defineConfig({
  test: {
    reporters: process.env.LOCKSTEP_PLAIN_REPORT ? ['default', './scripts/plain-reporter.ts'] : ['default'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['renderer/**/*.test.tsx', 'renderer/**/*.test.ts'],
          // Node 25+ has a global localStorage of its own (Web Storage, unusable without a file)
          // that hides jsdom's; the renderer's tests need the browser's.
          execArgv: ['--no-experimental-webstorage'],
          setupFiles: ['renderer/test-setup.ts'],
          // Real engine events with each runtime TLS feature off, for renderer/components/runtime-gaps.test.tsx.
          globalSetup: ['test/runtime/gap-stories.global.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
