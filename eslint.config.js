// ESLint 9 flat config + typescript-eslint.
// The restricted-imports rules enforce DESIGN.md §1: `core/` is pure (nothing
// from the rest of the repo, no filesystem, network, HTTP framework or chain).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const corePaths = [
  { name: 'node:fs', message: 'core/ has no filesystem access.' },
  { name: 'fs', message: 'core/ has no filesystem access.' },
  { name: 'node:fs/promises', message: 'core/ has no filesystem access.' },
  { name: 'fs/promises', message: 'core/ has no filesystem access.' },
  { name: 'node:net', message: 'core/ has no network access.' },
  { name: 'net', message: 'core/ has no network access.' },
  { name: 'node:http', message: 'core/ has no network access.' },
  { name: 'node:https', message: 'core/ has no network access.' },
  { name: 'node:child_process', message: 'core/ runs no processes.' },
  { name: 'express', message: 'core/ has no HTTP layer.' },
  { name: 'ethers', message: 'core/ has no chain access.' },
  { name: 'hardhat', message: 'core/ has no chain access.' },
];

/**
 * no-restricted-imports matches import strings, not resolved paths, so the
 * "nothing outside core/" rule is stated per folder depth: a file N folders
 * below core/ may climb at most N levels.
 */
const coreDepthRules = [1, 2, 3, 4].map((depth) => ({
  files: [`core/${'*/'.repeat(depth - 1)}*.ts`],
  ignores: ['core/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: corePaths,
        patterns: [
          {
            group: [`${'../'.repeat(depth)}*`, `${'../'.repeat(depth)}**`],
            message: 'core/ imports nothing from the rest of the repository.',
          },
        ],
      },
    ],
  },
}));

/** DESIGN §1 between components: registry imports core only; issuer, wallet and verifier never import each other. */
const componentRules = [
  { files: ['registry/**/*.ts'], forbidden: ['issuer', 'holder-wallet', 'verifier', 'web', 'e2e'], extraPaths: [{ name: 'express', message: 'registry/ has no HTTP layer.' }] },
  { files: ['issuer/**/*.ts'], forbidden: ['holder-wallet', 'verifier', 'e2e'], extraPaths: [] },
  { files: ['verifier/**/*.ts'], forbidden: ['issuer', 'holder-wallet', 'e2e'], extraPaths: [] },
  // The wallet's own code runs in the browser too: Node built-ins only in holder-wallet/node/ (adapters) and tests.
  {
    files: ['holder-wallet/**/*.ts'],
    ignores: ['holder-wallet/node/**', 'holder-wallet/**/*.test.ts'],
    forbidden: ['issuer', 'verifier', 'registry', 'e2e'],
    extraPaths: [{ name: 'express', message: 'the wallet has no HTTP server.' }],
    extraPatterns: [{ group: ['node:*'], message: 'the wallet runs in the browser: Node built-ins only in holder-wallet/node/.' }],
  },
  { files: ['holder-wallet/node/**/*.ts', 'holder-wallet/**/*.test.ts'], forbidden: ['issuer', 'verifier', 'registry', 'e2e'], extraPaths: [] },
].map(({ files, ignores, forbidden, extraPaths, extraPatterns = [] }) => ({
  files,
  ...(ignores === undefined ? {} : { ignores }),
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: extraPaths,
        patterns: [
          ...forbidden.map((component) => ({
            group: [`**/${component}/**`, `../${component}`, `../../${component}`],
            message: `DESIGN §1: this component does not import ${component}/.`,
          })),
          ...extraPatterns,
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'bench/results/**', '.build/**', '.tmp/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', globalThis: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', atob: 'readonly', btoa: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...coreDepthRules,
  ...componentRules,
  {
    // Browser pages (web/): plain ES modules run by the browser, with its globals.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window', 'document', 'navigator', 'location', 'history', 'fetch', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'File', 'FileReader',
          'URLSearchParams', 'localStorage', 'sessionStorage', 'indexedDB', 'crypto', 'setInterval', 'clearInterval', 'requestAnimationFrame',
          'HTMLElement', 'HTMLFormElement', 'HTMLInputElement', 'Event', 'CustomEvent', 'AbortController', 'alert', 'confirm', 'DOMParser', 'customElements',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // CommonJS files loaded by Hardhat: require() is how they import.
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
