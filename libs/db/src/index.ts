import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type QueryResultRow } from 'pg';
import { PrismaClient } from './generated/client';
import { useClassPrismaPromises } from './prisma-promise';

export * from './generated/client';
export { useClassPrismaPromises } from './prisma-promise';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
}

/** The pg pool under each client of createPrismaClient: Prisma's connections, which queryPrepared uses too. */
const pools = new WeakMap<PrismaClient, Pool>();

/** A Prisma client on @prisma/adapter-pg; the pg pool reconnects by itself after an outage. */
export function createPrismaClient({ url, poolSize }: DatabaseOptions): PrismaClient {
  // 10 s: at start every service of a process opens its pool while WebAssembly (OPAQUE) and worker
  // threads compile; 3 s was seen to expire on a busy 2-core machine. Health checks keep their own 1 s deadline.
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  // A connection lost while idle leaves the pool, which opens another when asked; unheard, its error would end the process.
  pool.on('error', () => undefined);
  // Query promises as class instances: Prisma's own kept every result alive until a major GC (prisma-promise.ts).
  const client = useClassPrismaPromises(new PrismaClient({ adapter: new PrismaPg(pool) }));
  // Prisma leaves a pool it was given open, and never connected at all when only queryPrepared ran: closed here.
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    try {
      await disconnect();
    } finally {
      if (!pool.ended) await pool.end();
    }
  };
  pools.set(client, pool);
  return client;
}

/**
 * A hot read as a named prepared statement: PostgreSQL parses and plans it once per connection (then, for most
 * statements, keeps a generic plan), where Prisma's raw queries are planned anew each time (0.8-0.95 ms for the
 * admin list's, issue 23). Rows come as pg parses them (timestamptz as Date, json parsed, int4 as number; count(*)
 * is int8, a string: cast it). Each name must stand for one text: a connection keeps the first text it saw under it.
 */
export interface PreparedStatement {
  name: string;
  text: string;
}

/** Runs a prepared statement on the client's own pool (a client of createPrismaClient), outside any transaction. */
export async function queryPrepared<R extends QueryResultRow>(
  client: PrismaClient,
  statement: PreparedStatement,
  values: unknown[],
): Promise<R[]> {
  const pool = pools.get(client);
  if (!pool) throw new Error('queryPrepared needs a client made by createPrismaClient');
  return (await pool.query<R>({ name: statement.name, text: statement.text, values })).rows;
}

/** `SELECT 1` with a deadline, for health checks. */
export async function pingDatabase(client: PrismaClient, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.$queryRaw`SELECT 1`,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
