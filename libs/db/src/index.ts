import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { useClassPrismaPromises } from './prisma-promise';

export * from './generated/client';
export { useClassPrismaPromises } from './prisma-promise';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
}

/** A Prisma client on @prisma/adapter-pg; the pg pool reconnects by itself after an outage. */
export function createPrismaClient({ url, poolSize }: DatabaseOptions): PrismaClient {
  // 10 s: at start every service of a process opens its pool while WebAssembly (OPAQUE) and worker
  // threads compile; 3 s was seen to expire on a busy 2-core machine. Health checks keep their own 1 s deadline.
  const adapter = new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  // Query promises as class instances: Prisma's own kept every result alive until a major GC (prisma-promise.ts).
  return useClassPrismaPromises(new PrismaClient({ adapter }));
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
