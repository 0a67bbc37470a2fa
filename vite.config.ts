import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server's React refresh needs an inline preamble script, which the page's own CSP
 * (script-src 'self') forbids. Drop the CSP meta only when serving; the built page keeps it.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'lockstep:dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
  };
}

// The renderer: root renderer/, built into out/renderer with relative URLs so Electron can load it
// from file:// (or a custom protocol) and the browser suite from any http://127.0.0.1 port.
export default defineConfig({
  root: `${here}renderer`,
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: `${here}out/renderer`,
    emptyOutDir: true,
    // An inline-able asset would become a data: URL in a script or style: keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
