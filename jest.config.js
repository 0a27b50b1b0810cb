/** One Jest run for unit (*.spec.ts), integration (*.int-spec.ts) and end-to-end (tests/**) tests. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** Dependencies published only as ES modules; Jest (on Node 20) needs them compiled to CommonJS. */
const esmOnly = ['content-disposition', 'openid-client', 'oauth4webapi', 'jose', 'oidc-provider'];

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tests', '<rootDir>/tools'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: { '^@gatehouse/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  // Generous: set-ups start whole systems, Chromium and a domain controller; a loaded machine must not fail them.
  testTimeout: 60_000,
  maxWorkers: 2,
};
