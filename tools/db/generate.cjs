#!/usr/bin/env node
// `prisma generate` without the native schema engine (which cannot be downloaded here): the
// CLI only needs PRISMA_SCHEMA_ENGINE_BINARY to point at a file to skip its download.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= join(__dirname, 'schema-engine-stub');
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
