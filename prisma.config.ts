import { defineConfig } from 'prisma/config';

// Prisma's CLI reads this file. Migrations are applied by tools/db (Prisma's schema engine as
// WebAssembly) or, where the native engine can be downloaded, by `prisma migrate deploy`.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/gatehouse' },
});
