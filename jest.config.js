/**
 * Jest 30 + ts-jest (ESM). Type-checking is done separately by `npm run typecheck`
 * (isolatedModules), so ts-jest only transpiles.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/jest.global-setup.js',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'cts', 'json', 'node'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
    // hardhat.config.cts, when a test loads Hardhat in-process
    '^.+\\.cts$': ['ts-jest', { useESM: false, diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'node', verbatimModuleSyntax: false } }],
  },
  maxWorkers: 2,
  testTimeout: 30000,
};
