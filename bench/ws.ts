// bench/ws: what a connected device costs and how fast a change reaches it.
// 1. 10,000 idle authenticated sockets on one gateway: the gateway's resident memory per socket (against
//    the same gateway before them, in one run) and the connect rate (upgrade + `auth` + `ready`).
// 2. Home-screen pushes to 1,000 sockets of one user across two gateways: from the PUT to each socket,
//    and to the last socket of each write, p50/p99.
// Run: npm run bench:ws   (BENCH_WS_SOCKETS=2000 BENCH_WS_PUSH_SOCKETS=200 for a quick run)
import WebSocket from 'ws';
import { WS_PATH } from '@gatehouse/contracts';
import { gatehouseToken } from './token-check';
import { Server, rssBytes, startGatehouse, startGateway, writeResults } from './support/harness';
import { summarize } from './support/timing';

const SOCKETS = Number(process.env.BENCH_WS_SOCKETS ?? '10000');
const PUSH_SOCKETS = Number(process.env.BENCH_WS_PUSH_SOCKETS ?? '1000');
const WRITES = Number(process.env.BENCH_WS_WRITES ?? '30');
const IN_FLIGHT = 100;

interface Socket {
  ws: WebSocket;
  received: (type: string) => Promise<number>;
}

/** Opens one socket, authenticates it and resolves at `ready`; `received` resolves at the next message of a type. */
function open(url: string, accessToken: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${WS_PATH}`, { perMessageDeflate: false });
    const waiting = new Map<string, (at: number) => void>();
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', accessToken })));
    ws.on('message', (data) => {
      const at = performance.now();
      const { type } = JSON.parse(data.toString()) as { type: string };
      if (type === 'ready') resolve({ ws, received: (t) => new Promise((done) => waiting.set(t, done)) });
      else if (type === 'error') reject(new Error(data.toString()));
      waiting.get(type)?.(at);
      waiting.delete(type);
    });
  });
}

async function openMany(url: string, token: string, count: number): Promise<{ sockets: Socket[]; seconds: number }> {
  const sockets: Socket[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        next++;
        sockets.push(await open(url, token));
        if (sockets.length % 1000 === 0) process.stdout.write(`\rsockets: ${sockets.length} / ${count}   `);
      }
    }),
  );
  process.stdout.write('\n');
  return { sockets, seconds: (performance.now() - started) / 1000 };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function idleSockets() {
  const gatehouse = await startGatehouse({ env: { BENCH_SERVICE_ENV: JSON.stringify({ WS_UNAUTHENTICATED_PER_ADDRESS: '10000' }) } });
  try {
    const token = await gatehouseToken(gatehouse.url);
    // A few sockets first, so the gateway's WebSocket code and buffers are in the baseline, not in the figure.
    const warm = await openMany(gatehouse.url, token, 50);
    warm.sockets.forEach((s) => s.ws.close());
    await settle(3000);
    const before = rssBytes(gatehouse.gateway.pid!);
    const { sockets, seconds } = await openMany(gatehouse.url, token, SOCKETS);
    await settle(5000);
    const after = rssBytes(gatehouse.gateway.pid!);
    const result = {
      sockets: SOCKETS,
      connectPerSecond: Math.round(SOCKETS / seconds),
      gatewayRssBeforeMiB: +(before / 2 ** 20).toFixed(1),
      gatewayRssAfterMiB: +(after / 2 ** 20).toFixed(1),
      bytesPerSocket: Math.round((after - before) / SOCKETS),
    };
    await Promise.all(sockets.map((s) => new Promise((done) => (s.ws.once('close', done), s.ws.close()))));
    return result;
  } finally {
    await gatehouse.stop();
  }
}

async function pushes() {
  const gatehouse = await startGatehouse({ env: { BENCH_SERVICE_ENV: JSON.stringify({ WS_UNAUTHENTICATED_PER_ADDRESS: '10000' }) } });
  let second: Server | undefined;
  try {
    second = await startGateway(gatehouse.env!);
    const token = await gatehouseToken(gatehouse.url);
    const half = Math.floor(PUSH_SOCKETS / 2);
    const sockets = [
      ...(await openMany(gatehouse.url, token, half)).sockets,
      ...(await openMany(second.url, token, PUSH_SOCKETS - half)).sockets,
    ];
    const perSocket: number[] = [];
    const toLast: number[] = [];
    for (let write = 0; write < WRITES; write++) {
      const arrivals = Promise.all(sockets.map((s) => s.received('homescreen.changed')));
      const sent = performance.now();
      const response = await fetch(`${gatehouse.url}/api/v1/me/homescreen`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ raw: `:Apps ${write},chat,users` }),
      });
      if (!response.ok) throw new Error(`PUT /me/homescreen: ${response.status} ${await response.text()}`);
      const times = await Promise.race([
        arrivals,
        settle(15_000).then(() => {
          throw new Error(`write ${write}: not every socket heard homescreen.changed within 15 s`);
        }),
      ]);
      const latencies = times.map((t) => t - sent);
      perSocket.push(...latencies);
      toLast.push(Math.max(...latencies));
      await settle(100);
    }
    sockets.forEach((s) => s.ws.terminate());
    return {
      sockets: PUSH_SOCKETS,
      gateways: 2,
      writes: WRITES,
      toLastSocket: summarize(toLast),
      perSocket: summarize(perSocket),
    };
  } finally {
    await second?.stop();
    await gatehouse.stop();
  }
}

async function main() {
  const idle = await idleSockets();
  console.log(JSON.stringify({ idle }, null, 2));
  const push = await pushes();
  const summary = {
    idle,
    homeScreenPush: push,
    targets: { bytesPerSocket: '<= 10240', pushToLastP99Ms: '< 50' },
    met: { bytesPerSocket: idle.bytesPerSocket <= 10_240, pushToLastP99: push.toLastSocket.p99Ms < 50 },
  };
  console.log(JSON.stringify(summary, null, 2));
  writeResults('ws', summary);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
