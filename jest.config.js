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
  // One file at a time: each starts a whole system, many start Chromium or a domain controller, and two
  // at once on the 2-core CI machine starved sign-ins in the browser tests. Files stay parallel-safe
  // (own database, Redis prefix and NATS server): `npx jest -w 2` runs two side by side.
  maxWorkers: 1,
  // One worker means in band: a handle a library leaves open after the last file (BullMQ, ioredis
  // reconnect timers) would keep the run alive for ever, so the process ends when the tests do.
  forceExit: true,
};
