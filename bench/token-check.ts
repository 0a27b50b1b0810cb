// bench/token-check: authenticated GET /api/v1/auth/check through the gateway, against a bare
// Fastify route that checks nothing and against better-auth's get-session on the same PostgreSQL.
// Run: node -r @swc-node/register bench/token-check.ts   (better-auth: npm ci --prefix bench/peers)
import { BENCH_PASSWORD, BENCH_USER } from './support/gatehouse-server';
import { Figures, load, ratio, startGatehouse, startServer, writeResults } from './support/harness';

const CONNECTIONS = 50;

export async function gatehouseToken(url: string, username = BENCH_USER): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      password: BENCH_PASSWORD,
      device: { name: 'bench', platform: 'node' },
      application: 'longLogin',
    }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function betterAuthCookie(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: 'bench@example.com', password: BENCH_PASSWORD, name: 'Bench' }),
  });
  if (!response.ok) throw new Error(`better-auth sign-up failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** The runs' mean rate, their worst p50 and p99, their errors added up; each run's rate kept beside. */
const averaged = (runs: Figures[]): Figures & { runs: number[] } => ({
  requestsPerSecond: +(runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length).toFixed(1),
  p50Ms: Math.max(...runs.map((r) => r.p50Ms)),
  p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
  errors: runs.reduce((sum, r) => sum + r.errors, 0),
  non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  runs: runs.map((r) => r.requestsPerSecond),
});

async function main() {
  const results: Record<string, Figures> = {};
  const gatehouse = await startGatehouse();
  const bare = await startServer('bench/support/bare-server.ts');
  let betterAuth: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    betterAuth = await startServer('bench/peers/better-auth-server.mjs');
  } catch (error) {
    process.stderr.write(`better-auth peer not started (${String(error)}); run npm ci --prefix bench/peers\n`);
  }
  try {
    const token = await gatehouseToken(gatehouse.url);
    const check = { url: `${gatehouse.url}/api/v1/auth/check`, headers: { authorization: `Bearer ${token}` } };
    const bareCheck = { url: `${bare.url}/bare`, connections: CONNECTIONS };
    // Both warmed up alike, then measured twice in turn (bare, Gatehouse, bare, Gatehouse) and averaged: the
    // machine's speed drifts, and one 10 s run of either moved the ratio by more than a code change would.
    await load({ ...bareCheck, duration: 3 });
    await load({ ...check, duration: 3, connections: CONNECTIONS });
    const runs: Figures[][] = [[], []];
    for (let round = 0; round < 2; round++) {
      runs[0].push(await load(bareCheck));
      runs[1].push(await load({ ...check, connections: CONNECTIONS }));
    }
    [results.bare, results.gatehouse] = runs.map(averaged);
    if (betterAuth) {
      const cookie = await betterAuthCookie(betterAuth.url);
      const getSession = { url: `${betterAuth.url}/api/auth/get-session`, headers: { cookie } };
      await load({ ...getSession, duration: 3, connections: CONNECTIONS });
      results.betterAuth = await load({ ...getSession, connections: CONNECTIONS });
    }
  } finally {
    await Promise.all([gatehouse.stop(), bare.stop(), betterAuth?.stop()]);
  }
  // The same check on the filled database (bench/data.ts: 100,000 users, 1,000,000 sessions), unless BENCH_EMPTY_ONLY.
  if (process.env.BENCH_EMPTY_ONLY !== '1') {
    const filled = await startGatehouse({ filled: true });
    try {
      const token = await gatehouseToken(filled.url, filled.user);
      const check = { url: `${filled.url}/api/v1/auth/check`, headers: { authorization: `Bearer ${token}` } };
      await load({ ...check, duration: 3, connections: CONNECTIONS });
      results.gatehouseFilled = await load({ ...check, connections: CONNECTIONS });
    } finally {
      await filled.stop();
    }
  }
  const summary = {
    connections: CONNECTIONS,
    results,
    vsBare: ratio(results.gatehouse.requestsPerSecond, results.bare.requestsPerSecond),
    vsBetterAuth: results.betterAuth ? ratio(results.gatehouse.requestsPerSecond, results.betterAuth.requestsPerSecond) : null,
    filledVsEmpty: results.gatehouseFilled ? ratio(results.gatehouseFilled.requestsPerSecond, results.gatehouse.requestsPerSecond) : null,
    targets: { vsBare: '>= 0.7', vsBetterAuth: '>= 10', p99Ms: '< 10', filledVsEmpty: '>= 0.9' },
  };
  console.table(Object.fromEntries(Object.entries(results).map(([name, f]) => [name, f])));
  console.log(
    JSON.stringify({
      vsBare: summary.vsBare,
      vsBetterAuth: summary.vsBetterAuth,
      filledVsEmpty: summary.filledVsEmpty,
      gatehouseP99Ms: results.gatehouse.p99Ms,
    }),
  );
  writeResults('token-check', summary);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
