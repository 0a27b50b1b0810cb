import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { outputFolder } = require('./server.cjs') as { outputFolder: (out: string | undefined) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { swcOptions } = require('./swc-options.cjs') as {
  swcOptions: (o?: { paths?: boolean }) => { jsc: { target: string; baseUrl?: string; paths?: Record<string, string[]> } };
};

const root = join(__dirname, '..', '..');

describe('npm run build:server', () => {
  it('writes into a folder inside dist/', () => {
    expect(outputFolder('dist/server')).toBe(join(root, 'dist', 'server'));
    expect(outputFolder('dist/e2e-server')).toBe(join(root, 'dist', 'e2e-server'));
  });

  it.each([undefined, '', 'dist', 'dist/', 'apps', '../elsewhere', '/tmp/out', 'dist/../apps', '--bench'])(
    'refuses %j as the output folder, which it would empty',
    (out) => {
      expect(() => outputFolder(out)).toThrow(/must be inside dist\//);
    },
  );

  it("takes the compiler's settings from tsconfig.base.json, the @gatehouse paths only for a build", () => {
    const build = swcOptions({ paths: true }).jsc;
    expect(build.target).toBe('es2022');
    expect(build.paths?.['@gatehouse/contracts']).toEqual(['libs/contracts/src/index']);
    expect(build.baseUrl).toBe(root);
    const jest = swcOptions().jsc;
    expect(jest.paths).toBeUndefined();
    expect(jest.baseUrl).toBeUndefined();
  });
});
