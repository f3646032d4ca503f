/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // @swc/jest reads .swcrc, which also rewrites the @salesledger/* path aliases.
  transform: { '^.+\\.(t|j)s$': '@swc/jest' },
  // NestJS 12 ships ES modules only; Jest runs CommonJS, so those packages are transformed too.
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
