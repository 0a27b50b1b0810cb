import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

let root: string | undefined;

/**
 * The repository's root: the folder whose package.json is Gatehouse's, found upwards from this file. The same
 * whether the code runs from its TypeScript (libs/config/src) or compiled (`npm run build:server`:
 * dist/server/libs/config/src; the benchmarks' dist/bench), in a checkout or in the image (/app).
 */
export function workspaceRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gatehouse') return (root = dir);
    if (dirname(dir) === dir) throw new Error(`no Gatehouse package.json above ${__dirname}`);
  }
}

/** A file or folder of the repository (built web assets, migrations, tools) by its path there. */
export const fromWorkspace = (...path: string[]): string => resolve(workspaceRoot(), ...path);
