// The swc settings the repository's TypeScript needs, read from tsconfig.base.json in one place: decorators with
// their metadata (Nest's dependency injection reads the constructor parameter types), CommonJS, the tsconfig's
// target, class names kept (Nest and the logs use them). `npm run build:server` (tools/build/server.cjs) compiles
// with them and with the `@gatehouse/*` paths made relative requires; Jest (jest.config.js) with its own
// moduleNameMapper for the paths instead.
const { join } = require('node:path');

const root = join(__dirname, '..', '..');

/** `paths: true` also rewrites the tsconfig's `@gatehouse/*` imports to relative requires (a build has no module mapper). */
function swcOptions({ paths = false } = {}) {
  const { compilerOptions } = require(join(root, 'tsconfig.base.json'));
  const jsc = {
    target: compilerOptions.target.toLowerCase(),
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: compilerOptions.emitDecoratorMetadata },
    keepClassNames: true,
  };
  if (paths) {
    jsc.baseUrl = root;
    // swc resolves a path's target itself; it wants the module, not the file
    jsc.paths = Object.fromEntries(
      Object.entries(compilerOptions.paths).map(([name, targets]) => [name, targets.map((t) => t.replace(/\.ts$/, ''))]),
    );
  }
  return { swcrc: false, module: { type: 'commonjs' }, jsc };
}

module.exports = { swcOptions };
