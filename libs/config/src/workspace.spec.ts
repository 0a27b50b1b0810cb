import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromWorkspace, workspaceRoot } from './workspace';

describe('workspaceRoot', () => {
  it("is the folder of Gatehouse's package.json, above this library", () => {
    const root = workspaceRoot();
    expect(root).toBe(join(__dirname, '..', '..', '..'));
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name).toBe('gatehouse');
  });

  it('resolves a path of the repository', () => {
    expect(fromWorkspace('prisma', 'migrations')).toBe(join(workspaceRoot(), 'prisma', 'migrations'));
    expect(existsSync(fromWorkspace('tools/db/cli.mjs'))).toBe(true);
  });
});
