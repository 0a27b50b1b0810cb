/**
 * Three Jest projects, a test pyramid: `unit` (*.spec.ts beside the code: no server, seconds; `npm run test:unit`),
 * `int` (*.int-spec.ts: one service or library against the real PostgreSQL, Redis, NATS) and `e2e`
 * (tests/**\/*.e2e-spec.ts: the whole system through the gateway, and the browser tests).
 * `npx jest` runs all three; `npx jest --selectProjects unit` (or int, e2e) one of them.
 */
const { swcOptions } = require('./tools/build/swc-options.cjs');

/** The TypeScript compiled with the settings npm run build:server uses (tools/build/swc-options.cjs); the paths map below. */
const swc = ['@swc/jest', { ...swcOptions(), sourceMaps: 'inline' }];

/** Dependencies published only as ES modules; Jest (on Node 20) needs them compiled to CommonJS. */
const esmOnly = ['content-disposition', 'openid-client', 'oauth4webapi', 'jose', 'oidc-provider'];

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tests', '<rootDir>/tools'],
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: { '^@gatehouse/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['reflect-metadata'],
};

/** Only the projects that talk to servers start them (containers or the machine's own) and prepare the template database. */
const withServers = {
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...shared, ...withServers, displayName: 'int', testMatch: ['**/*.int-spec.ts'] },
    { ...shared, ...withServers, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'] },
  ],
  // Generous (Jest reads it for the whole run, not per project): set-ups start whole systems, Chromium and a
  // domain controller; a loaded machine must not fail them.
  testTimeout: 60_000,
  // One file at a time: each e2e file starts a whole system, many start Chromium or a domain controller, and
  // two at once on the 2-core CI machine starved sign-ins in the browser tests. Files stay parallel-safe
  // (own database, Redis prefix and NATS server): `npx jest -w 2` runs two side by side.
  maxWorkers: 1,
  // One worker means in band: a handle a library leaves open after the last file (BullMQ, ioredis
  // reconnect timers) would keep the run alive for ever, so the process ends when the tests do.
  forceExit: true,
};
