import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The repository's root (the folder whose package.json is Gatehouse's), found upwards from this file: the
 * same whether the gateway runs from its TypeScript (apps/gateway/src) or compiled (dist/server/apps/gateway/src,
 * `npm run build:server`), in the repository or in the image (/app).
 */
function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gatehouse') return dir;
    if (dirname(dir) === dir) throw new Error(`no Gatehouse package.json above ${from}`);
  }
}

const ROOT = workspaceRoot(__dirname);

/** A file or folder that `npm run build:web` writes (Vite), by its path in the repository. */
export const builtAsset = (path: string): string => resolve(ROOT, path);
