/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // The web app's component tests run under Vitest (npm test runs both).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/'],
  // @swc/jest reads .swcrc, which also rewrites the @salesledger/* path aliases.
  transform: { '^.+\\.(t|j)s$': '@swc/jest' },
  // NestJS 12 ships ES modules only; Jest runs CommonJS, so those packages are transformed too.
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // A spec that leaks a handle must not hold CI until its deadline: global-teardown names what was left.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
