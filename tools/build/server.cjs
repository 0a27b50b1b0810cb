#!/usr/bin/env node
// `npm run build:server`: the services, the gateway and the one-process system compiled to JavaScript
// in dist/server (the same layout as the sources: dist/server/apps/gateway/src/main.js), which is what
// `npm start` and the Docker image run. Running the TypeScript through @swc-node/register instead cost
// every process (and every worker thread, which loads it again) the TypeScript compiler and the
// transpiled sources with their maps in memory: the one-process system idled at ~670 MiB resident
// against ~400 MiB compiled, and was ready ~1 s later (bench/README.md, "Footprint").
//
// The compiler is @swc/core, the one @swc-node/register uses, with the settings that the repository's
// tsconfig gives it (tools/build/swc-options.cjs, which Jest uses too), and the `@gatehouse/*` paths
// of tsconfig.base.json rewritten to relative requires. Tests (*.spec.ts and the like) are left out.
// Each file gets a source map beside it (`node --enable-source-maps` shows TypeScript lines in stacks).
const { transformFileSync } = require('@swc/core');
const { mkdirSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { basename, dirname, isAbsolute, join, relative } = require('node:path');
const { swcOptions } = require('./swc-options.cjs');

const root = join(__dirname, '..', '..');

/** What the product runs: every service, the gateway, the libraries they use, and tools/standalone (npm start). */
const SERVER_SOURCES = [
  'apps/auth/src',
  'apps/directory/src',
  'apps/federation/src',
  'apps/gateway/src',
  'apps/mailer/src',
  'apps/sessions/src',
  'libs/app-login/src',
  'libs/config/src',
  'libs/contracts/src',
  'libs/crypto/src',
  'libs/db/src',
  'libs/errors/src',
  'libs/platform/src',
  'tools/standalone',
];

const TESTS = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;

function* typeScriptFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* typeScriptFiles(path);
    } else if (entry.name.endsWith('.ts') && !TESTS.test(entry.name)) {
      yield path;
    }
  }
}

/**
 * The folder `out` names (relative to the repository), which must lie inside dist/ and not be dist/ itself:
 * the build empties it first, and a mistyped `--out` must not delete sources.
 */
function outputFolder(out) {
  const inDist = typeof out === 'string' && out !== '' && !isAbsolute(out) ? relative(join(root, 'dist'), join(root, out)) : '';
  if (inDist === '' || inDist.startsWith('..') || isAbsolute(inDist)) {
    throw new Error(`the output folder must be inside dist/ (relative to the repository), not ${JSON.stringify(out)}`);
  }
  return join(root, out);
}

/**
 * Compiles `sources` (folders relative to the repository) into `out` (a folder inside dist/, relative to the
 * repository), which is emptied first. Returns how many files it wrote.
 */
function buildServer({ out = 'dist/server', sources = SERVER_SOURCES } = {}) {
  const outDir = outputFolder(out);
  rmSync(outDir, { recursive: true, force: true });
  const options = { ...swcOptions({ paths: true }), sourceMaps: true };
  let files = 0;
  for (const source of sources) {
    for (const file of typeScriptFiles(join(root, source))) {
      const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      const { code, map } = transformFileSync(file, { ...options, filename: file, outputPath: target });
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${code}\n//# sourceMappingURL=${basename(target)}.map\n`);
      writeFileSync(`${target}.map`, map);
      files++;
    }
  }
  return files;
}

/** The benchmarks' servers and probe (bench/support, run as the product runs: compiled) and the test environment they use. */
const BENCH_SOURCES = [...SERVER_SOURCES, 'libs/testing/src', 'bench/support'];

module.exports = { BENCH_SOURCES, SERVER_SOURCES, buildServer, outputFolder };

if (require.main === module) {
  // --bench: the benchmarks' build, in dist/bench (bench/support/harness.ts runs it), so that a benchmark never
  // rewrites the dist/server a running `npm start` loads its modules from
  // --out DIR: another folder inside dist/ (tests/foundation/compiled-server.e2e-spec.ts builds its own)
  const bench = process.argv.includes('--bench');
  const outAt = process.argv.indexOf('--out');
  const out = outAt > 0 ? (process.argv[outAt + 1] ?? '') : bench ? 'dist/bench' : 'dist/server';
  try {
    const started = Date.now();
    const files = buildServer({ out, sources: bench ? BENCH_SOURCES : SERVER_SOURCES });
    console.log(`build:server: ${files} files compiled into ${out} in ${Date.now() - started} ms`);
  } catch (error) {
    console.error(`build:server: ${error.message}`);
    process.exitCode = 1;
  }
}
