// ESLint 9 flat config + typescript-eslint.
// The restricted-imports rules enforce DESIGN.md §1: `core/` is pure (nothing
// from the rest of the repo, no filesystem, network, HTTP framework or chain).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const coreForbidden = {
  patterns: [
    {
      group: ['../../*/**', '../../../*', '!../../core/**'],
      message: 'core/ imports nothing from the rest of the repository.',
    },
    {
      group: ['**/registry/**', '**/issuer/**', '**/holder-wallet/**', '**/verifier/**', '**/adapters/**', '**/bench/**', '**/demo/**', '**/e2e/**', '**/web/**', '**/contracts/**'],
      message: 'core/ imports nothing from the rest of the repository.',
    },
  ],
  paths: [
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
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'bench/results/**', '**/*.cjs'] },
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
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', coreForbidden] },
  },
);
