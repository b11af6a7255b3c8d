/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
  transform: { '^.+\\.ts$': 'ts-jest' },
  // One Temporal dev server for the whole run, on free ports, in memory.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // The end-to-end tests start worker processes; running test files one at a time keeps a 2-core machine responsive.
  maxWorkers: 1,
};
