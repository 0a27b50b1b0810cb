// bench/login: password logins per second through the gateway against raw argon2id verifications
// per second with the same parameters, and the token-check p99 while logins saturate the machine.
// Run: node -r @swc-node/register bench/login.ts
import { hashPassword, verifyPassword } from '@gatehouse/crypto';
import { BENCH_ARGON2, BENCH_PASSWORD, BENCH_USER } from './support/gatehouse-server';
import { load, startGatehouse, writeResults } from './support/harness';

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
  try {
    const loginBody = JSON.stringify({ username: BENCH_USER, password: BENCH_PASSWORD, device: { name: 'bench', platform: 'node' } });
    const loginRequest = { url: `${gatehouse.url}/api/v1/auth/login`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: loginBody };
    const first = await fetch(loginRequest.url, { method: 'POST', headers: loginRequest.headers, body: loginBody });
    const { accessToken } = (await first.json()) as { accessToken: string };
    const check = { url: `${gatehouse.url}/api/v1/auth/check`, headers: { authorization: `Bearer ${accessToken}` }, connections: 10, overallRate: 200 };

    await load({ ...check, duration: 3 });
    const idle = await load({ ...check, duration: SECONDS });
    const logins = await load({ ...loginRequest, connections: 16, duration: SECONDS });
    const [busy, during] = await Promise.all([load({ ...check, duration: SECONDS }), load({ ...loginRequest, connections: 16, duration: SECONDS })]);

    await gatehouse.stop();
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
      p99DuringVsIdle: +(busy.p99Ms / Math.max(idle.p99Ms, 1)).toFixed(2),
      targets: { loginsVsRaw: '>= 0.8', p99DuringVsIdle: '<= 2' },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('login', summary);
  } catch (error) {
    await gatehouse.stop();
    throw error;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
