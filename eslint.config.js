// Lint: typescript-eslint's recommended rules plus the architecture's boundaries (ARCHITECTURE.md, "Layers"):
// shared/ stands alone, the renderer reaches the engine only through window.lockstep, and only
// main/electron may import electron.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'net', 'tls', 'crypto', 'path', 'os', 'child_process', 'http', 'https', 'dgram', 'stream', 'events', 'util', 'worker_threads'];
const builtinPatterns = [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'release/', 'test-artifacts/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.mjs', 'build/**/*.mjs', 'bin/**/*.js', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ runs on both sides: no Electron.' }, ...builtinPatterns.map((name) => ({ name, message: 'shared/ runs in the renderer too: no Node built-ins.' }))],
        patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'shared/ imports nothing from main/ or renderer/.' }],
      }],
    },
  },
  {
    // The hooks plugin's recommended rules (the React compiler's checks among them); a missing
    // effect dependency is an error here, not a warning, because it is a stale read waiting to happen.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer reaches the engine only through window.lockstep.' }, ...builtinPatterns.map((name) => ({ name, message: 'The renderer is sandboxed: no Node built-ins.' }))],
        patterns: [{ group: ['**/main/**'], message: 'The renderer never imports main/: use window.lockstep (typed by shared/).' }],
      }],
    },
  },
  {
    files: ['main/core/**/*.ts', 'main/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only main/electron imports electron; hand Electron services in through an interface.' }],
        patterns: [{ group: ['**/renderer/**', '**/main/electron/**'], message: 'The engine and the headless peer stand on their own.' }],
      }],
    },
  },
);
