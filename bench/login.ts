// bench/login: password logins per second through the gateway against raw argon2id verifications
// per second with the same parameters, and the token-check p99 while logins saturate the machine.
// Run: node -r @swc-node/register bench/login.ts
import { hashPassword, verifyPassword } from '@gatehouse/crypto';
import { BENCH_ARGON2, BENCH_PASSWORD, BENCH_USER } from './support/gatehouse-server';
import { load, probeLatency, startGatehouse, startServer, writeResults } from './support/harness';

const SECONDS = 10;

/** Raw argon2id with as many verifications in flight as the thread pool runs. */
async function rawVerificationsPerSecond(): Promise<number> {
  const hash = await hashPassword(BENCH_PASSWORD, BENCH_ARGON2);
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await verifyPassword(hash, BENCH_PASSWORD);
      done++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return +(done / SECONDS).toFixed(1);
}

async function main() {
  // The machine's speed drifts; raw hashing is measured before and after, and averaged.
  const rawBefore = await rawVerificationsPerSecond();
  const gatehouse = await startGatehouse();
  const bare = await startServer('bench/support/bare-server.ts');
  try {
    const loginBody = JSON.stringify({ username: BENCH_USER, password: BENCH_PASSWORD, device: { name: 'bench', platform: 'node' } });
    const loginRequest = {
      url: `${gatehouse.url}/api/v1/auth/login`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: loginBody,
    };
    const first = await fetch(loginRequest.url, { method: 'POST', headers: loginRequest.headers, body: loginBody });
    const { accessToken } = (await first.json()) as { accessToken: string };
    // Token checks at a steady 200 per second from their own process (latency-probe.ts).
    const check = {
      url: `${gatehouse.url}/api/v1/auth/check`,
      headers: { authorization: `Bearer ${accessToken}` },
      connections: 10,
      ratePerSecond: 200,
    };

    await probeLatency({ ...check, seconds: 3 });
    const idle = await probeLatency({ ...check, seconds: SECONDS });
    const logins = await load({ ...loginRequest, connections: 16, duration: SECONDS });
    const [busy, during] = await Promise.all([
      probeLatency({ ...check, seconds: SECONDS }),
      load({ ...loginRequest, connections: 16, duration: SECONDS }),
    ]);
    // The control: the same probe on a bare Fastify route (no Redis, no hops), idle and during the
    // same logins, shows what the machine's CPU sharing alone does to a p99.
    const bareProbe = { url: `${bare.url}/bare`, connections: 10, ratePerSecond: 200 };
    const bareIdle = await probeLatency({ ...bareProbe, seconds: SECONDS });
    const [bareBusy] = await Promise.all([
      probeLatency({ ...bareProbe, seconds: SECONDS }),
      load({ ...loginRequest, connections: 16, duration: SECONDS }),
    ]);

    await Promise.all([gatehouse.stop(), bare.stop()]);
    const rawAfter = await rawVerificationsPerSecond();
    const rawPerSecond = +((rawBefore + rawAfter) / 2).toFixed(1);
    const summary = {
      rawArgon2VerificationsPerSecond: rawPerSecond,
      rawBeforeAndAfter: [rawBefore, rawAfter],
      loginsPerSecond: logins.requestsPerSecond,
      loginsVsRaw: +(logins.requestsPerSecond / rawPerSecond).toFixed(2),
      login: logins,
      tokenCheckIdle: idle,
      tokenCheckDuringLogins: busy,
      loginsWhileChecking: during,
      p99DuringVsIdle: +(busy.p99Ms / idle.p99Ms).toFixed(2),
      control: { bareIdle, bareDuringLogins: bareBusy, p99DuringVsIdle: +(bareBusy.p99Ms / bareIdle.p99Ms).toFixed(2) },
      targets: { loginsVsRaw: '>= 0.8', p99DuringVsIdle: '<= 2' },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('login', summary);
  } catch (error) {
    await Promise.all([gatehouse.stop(), bare.stop()]);
    throw error;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
