// Preloaded into the electronegativity scanner (see electronegativity.test.ts). The scanner
// downloads translations and Electron's release list with `got`; the scan runs with the network cut, and on Node 25+
// got 11's retry after that failure throws from a timer and kills the process. Answer the
// download as failed at once instead, which the scanner already handles (it keeps en-US).
'use strict';
const { createRequire } = require('node:module');

const fromScanner = createRequire(require.resolve('@doyensec/electronegativity/dist/locales/i18n.js'));
const gotPath = fromScanner.resolve('got');
const offline = () => Promise.reject(new Error('offline: the scan runs without network'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { head: offline }) };
