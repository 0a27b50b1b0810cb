// Drives Prisma's own schema engine (the WebAssembly build) so migrations stay in Prisma's
// folder format without the native engine that cannot be downloaded here.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

let wasmModule;

async function loadWasm() {
  if (wasmModule) return wasmModule;
  const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const glue = await import(join(pkgDir, 'schema_engine_bg.js'));
  const bytes = await readFile(join(pkgDir, 'schema_engine_bg.wasm'));
  const module = new WebAssembly.Module(bytes);
  const imports = {};
  for (const { module: name } of WebAssembly.Module.imports(module)) imports[name] = glue;
  const instance = new WebAssembly.Instance(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start();
  wasmModule = glue;
  return glue;
}

/** Pool settings as fields, never a connection string, so a shadow database is built beside it. */
export function poolConfig(databaseUrl) {
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password || ''),
    database: decodeURIComponent(url.pathname.slice(1) || 'postgres'),
    max: 2,
  };
}

// The engine reads catalog columns of PostgreSQL's internal "char" type (oid 18), which
// adapter-pg cannot map. This process remembers, per SQL text, which columns had that type,
// lets adapter-pg see them as text and hands them to the engine as Character.
const charColumnsBySql = new Map();
const CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

function reportCharColumns() {
  const pg = require('pg');
  if (pg.Client.prototype.__charColumns) return;
  const query = pg.Client.prototype.query;
  const remember = (config, res) => {
    const indexes = [];
    (res?.fields ?? []).forEach((field, index) => {
      if (field.dataTypeID === 18) {
        field.dataTypeID = 25;
        indexes.push(index);
      }
    });
    const sql = typeof config === 'string' ? config : config?.text;
    if (indexes.length && sql) charColumnsBySql.set(sql, indexes);
    return res;
  };
  // pg.Pool#query calls this with a callback; direct callers get a promise.
  pg.Client.prototype.query = function patchedQuery(config, ...rest) {
    const last = rest.length - 1;
    if (last >= 0 && typeof rest[last] === 'function') {
      const callback = rest[last];
      rest[last] = (err, res) => callback(err, err ? res : remember(config, res));
      return query.call(this, config, ...rest);
    }
    const result = query.call(this, config, ...rest);
    return result && typeof result.then === 'function' ? result.then((res) => remember(config, res)) : result;
  };
  pg.Client.prototype.__charColumns = true;
}

function withCharColumns(adapter) {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'queryRaw') {
        return async (query) => {
          const result = await target.queryRaw(query);
          for (const index of charColumnsBySql.get(query.sql) ?? []) result.columnTypes[index] = CHARACTER;
          return result;
        };
      }
      if (prop === 'startTransaction') {
        return async (...args) => withCharColumns(await target.startTransaction(...args));
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function openEngine(databaseUrl, datamodels, log = () => {}) {
  const glue = await loadWasm();
  reportCharColumns();
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const factory = bindMigrationAwareSqlAdapterFactory(shadowSafe(PrismaPg, poolConfig(databaseUrl)));
  return glue.SchemaEngine.new({ datamodels }, log, factory);
}

// adapter-pg drops its shadow database before closing the shadow pool, which PostgreSQL
// refuses; this factory closes the pool first and then drops the database.
function shadowSafe(PrismaPg, config) {
  const main = new PrismaPg(config);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => withCharColumns(await main.connect()),
    async connectToShadowDb() {
      const admin = await main.connect();
      const database = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = withCharColumns(await new PrismaPg({ ...config, database }).connect());
      return new Proxy(shadow, {
        get(target, prop, receiver) {
          if (prop === 'dispose') {
            return async () => {
              await target.dispose();
              await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
              await admin.dispose();
            };
          }
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}
