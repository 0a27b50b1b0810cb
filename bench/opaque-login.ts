// bench/opaque-login: logins per second through OPAQUE against the plain route, on the same machine,
// in one run. Gatehouse as deployed (bench/support), production argon2id and OPAQUE key stretching.
// Run: node -r @swc-node/register bench/opaque-login.ts
import { hashPassword, verifyPassword } from '@gatehouse/crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BENCH_ARGON2, BENCH_PASSWORD, BENCH_USER } from './support/gatehouse-server';
import { load, startGatehouse, writeResults } from './support/harness';

const SECONDS = 10;
const DEVICE = { name: 'bench', platform: 'node' };

/** Raw argon2id verifications/s with today's parameters: the ceiling of the pre-OPAQUE plain route (bench/login.ts: about 0.8× of it). */
async function rawArgon2PerSecond(): Promise<number> {
  const hash = await hashPassword(BENCH_PASSWORD, BENCH_ARGON2);
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < deadline) {
        await verifyPassword(hash, BENCH_PASSWORD);
        done++;
      }
    }),
  );
  return +(done / SECONDS).toFixed(1);
}

// A client doing whole OPAQUE logins in a loop, as the web client does them (its key stretching included).
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const opaque = require(workerData.opaquePath);
(async () => {
  await opaque.ready;
  const post = async (path, body) => {
    const res = await fetch(workerData.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const deadline = Date.now() + workerData.seconds * 1000;
  let ok = 0, failed = 0, clientMs = 0;
  while (Date.now() < deadline) {
    let t = performance.now();
    const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password: workerData.password });
    clientMs += performance.now() - t;
    const start = await post('/api/v1/auth/opaque/login/start', { username: workerData.username, startLoginRequest });
    if (start.status !== 200) { failed++; continue; }
    t = performance.now();
    const finish = opaque.client.finishLogin({ clientLoginState, loginResponse: start.body.loginResponse, password: workerData.password, keyStretching: { 'argon2id-custom': start.body.keyStretching } });
    clientMs += performance.now() - t;
    if (!finish) { failed++; continue; }
    const done = await post('/api/v1/auth/opaque/login/finish', { loginId: start.body.loginId, finishLoginRequest: finish.finishLoginRequest, device: workerData.device });
    if (done.status === 200) ok++; else failed++;
  }
  parentPort.postMessage({ ok, failed, clientMs });
})();
`;

async function opaqueClients(url: string, clients: number) {
  const workerData = {
    url,
    username: BENCH_USER,
    password: BENCH_PASSWORD,
    device: DEVICE,
    seconds: SECONDS,
    opaquePath: require.resolve('@serenity-kit/opaque'),
  };
  const results = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<{ ok: number; failed: number; clientMs: number }>((resolve, reject) => {
          const worker = new Worker(CLIENT, { eval: true, workerData });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const ok = results.reduce((n, r) => n + r.ok, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const clientMs = results.reduce((n, r) => n + r.clientMs, 0);
  return { clients, loginsPerSecond: +(ok / SECONDS).toFixed(1), failed, clientCpuMsPerLogin: ok ? +(clientMs / ok).toFixed(0) : null };
}

async function main() {
  const rawBefore = await rawArgon2PerSecond();
  const gatehouse = await startGatehouse();
  try {
    const json = { 'content-type': 'application/json' };
    const plainBody = JSON.stringify({ username: BENCH_USER, password: BENCH_PASSWORD, device: DEVICE });
    const first = await fetch(`${gatehouse.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: plainBody });
    if (first.status !== 200) throw new Error(`plain login failed: ${first.status} ${await first.text()}`);
    // 1. The plain route: the server stretches (OPAQUE's client half run server-side on auth's workers).
    const plain = await load({
      url: `${gatehouse.url}/api/v1/auth/login`,
      method: 'POST',
      headers: json,
      body: plainBody,
      connections: 16,
      duration: SECONDS,
    });
    // 2. OPAQUE end to end: the clients stretch, here on the same two cores as the server.
    const opaqueEndToEnd = await opaqueClients(gatehouse.url, Math.max(2, availableParallelism()));
    // 3. What the server alone takes per OPAQUE login: first messages/s (record lookup, throttle, OPRF, Redis state).
    //    The second message is lighter (one OPAQUE check, then the session as any login makes it).
    const opaqueModule = await import('@serenity-kit/opaque');
    await opaqueModule.ready;
    const { startLoginRequest } = opaqueModule.client.startLogin({ password: BENCH_PASSWORD });
    const starts = await load({
      url: `${gatehouse.url}/api/v1/auth/opaque/login/start`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: BENCH_USER, startLoginRequest }),
      connections: 16,
      duration: SECONDS,
    });
    await gatehouse.stop();
    const rawAfter = await rawArgon2PerSecond();
    const raw = +((rawBefore + rawAfter) / 2).toFixed(1);
    const summary = {
      rawArgon2VerificationsPerSecond: raw,
      rawBeforeAndAfter: [rawBefore, rawAfter],
      plainRouteLoginsPerSecond: plain.requestsPerSecond,
      plainRoute: plain,
      opaqueEndToEnd,
      opaqueVsPlain: +(opaqueEndToEnd.loginsPerSecond / plain.requestsPerSecond).toFixed(2),
      opaqueServerStartMessagesPerSecond: starts.requestsPerSecond,
      opaqueStart: starts,
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('opaque-login', summary);
  } catch (error) {
    await gatehouse.stop();
    throw error;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
