const base = require('./jest.config');

/**
 * The cluster suite: tests of the default suite, reused as they are, plus test/cluster, against the
 * production topology (the Temporal server on PostgreSQL, set up as docker-compose.yml sets it up)
 * instead of the dev server.
 * @type {import('jest').Config}
 */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/e2e.test.ts', '<rootDir>/test/api/stack.test.ts', '<rootDir>/test/cluster/**/*.cluster.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
};
