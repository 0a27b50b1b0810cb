// bench/ws: what a connected device costs and how fast a change reaches it.
// 1. 10,000 idle authenticated sockets on one gateway: the gateway's resident memory per socket (against
//    the same gateway before them, in one run) and the connect rate (upgrade + `auth` + `ready`).
// 2. Home-screen pushes to 1,000 sockets of one user across two gateways: from the PUT to each socket,
//    and to the last socket of each write, p50/p99.
//    The client sockets are spread over BENCH_WS_CLIENT_THREADS worker threads (default: one per core), as real
//    devices receive in parallel; 0 keeps them on this event loop, and a list (`0,2`) measures each mode in turn.
// Run: npm run bench:ws   (BENCH_WS_SOCKETS=2000 BENCH_WS_PUSH_SOCKETS=200 for a quick run)
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { HomeScreenSubjects, WS_PATH } from '@gatehouse/contracts';
import { connect } from 'nats';
import { gatehouseToken } from './token-check';
import { Server, gatewayMemory, processCpuSeconds, rssBytes, startGatehouse, startGateway, writeResults } from './support/harness';
import { summarize } from './support/timing';
import type { ClientThreadData, ClientThreadReply } from './support/ws-client-thread';

const SOCKETS = Number(process.env.BENCH_WS_SOCKETS ?? '10000');
const PUSH_SOCKETS = Number(process.env.BENCH_WS_PUSH_SOCKETS ?? '1000');
const WRITES = Number(process.env.BENCH_WS_WRITES ?? '30');
/** Writes before the measured ones, to every socket as they are: the gateways' and directory's first pushes compile and warm their paths. */
const WARM_UP_WRITES = Number(process.env.BENCH_WS_WARM_UP_WRITES ?? '5');
const ONLY = process.env.BENCH_WS_ONLY;
const CLIENT_THREADS = (process.env.BENCH_WS_CLIENT_THREADS ?? String(availableParallelism())).split(',').map(Number);
const IN_FLIGHT = 100;

/** A time comparable across threads (each has its own `performance.now()` origin). */
const now = () => performance.timeOrigin + performance.now();
const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}${WS_PATH}`;

interface Socket {
  ws: WebSocket;
  received: (type: string) => Promise<number>;
}

/** Opens one socket, authenticates it and resolves at `ready`; `received` resolves at the next message of a type. */
function open(url: string, accessToken: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(url), { perMessageDeflate: false });
    const waiting = new Map<string, (at: number) => void>();
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', accessToken })));
    ws.on('message', (data) => {
      const at = now();
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

/** CPU milliseconds (user + system, all threads) a process has used so far. */
const processCpuMs = (pid: number): number => processCpuSeconds(pid) * 1000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function idleSockets() {
  const gatehouse = await startGatehouse({ env: { BENCH_SERVICE_ENV: JSON.stringify({ WS_UNAUTHENTICATED_PER_ADDRESS: '10000' }) } });
  try {
    const token = await gatehouseToken(gatehouse.url);
    // A few sockets first, so the gateway's WebSocket code and buffers are in the baseline, not in the figure.
    const warm = await openMany(gatehouse.url, token, 50);
    warm.sockets.forEach((s) => s.ws.close());
    await pause(3000);
    const rssBefore = rssBytes(gatehouse.gateway.pid!);
    const before = await gatewayMemory(gatehouse.gateway);
    const { sockets, seconds } = await openMany(gatehouse.url, token, SOCKETS);
    await pause(5000);
    const rssAfter = rssBytes(gatehouse.gateway.pid!);
    const after = await gatewayMemory(gatehouse.gateway);
    const perSocket = (from: number, to: number) => Math.round((to - from) / SOCKETS);
    const result = {
      sockets: SOCKETS,
      connectPerSecond: Math.round(SOCKETS / seconds),
      gatewayRssBeforeMiB: +(rssBefore / 2 ** 20).toFixed(1),
      gatewayRssAfterMiB: +(rssAfter / 2 ** 20).toFixed(1),
      // resident memory, as the operating system counts it (garbage not yet collected included)
      bytesPerSocket: perSocket(rssBefore, rssAfter),
      // after a full collection in the gateway, before and after the sockets: resident, V8 heap, and memory outside it
      afterGc: {
        rssPerSocket: perSocket(before.rss, after.rss),
        heapPerSocket: perSocket(before.heapUsed, after.heapUsed),
        externalPerSocket: perSocket(before.external, after.external),
        heapBeforeMiB: +(before.heapUsed / 2 ** 20).toFixed(1),
        heapAfterMiB: +(after.heapUsed / 2 ** 20).toFixed(1),
      },
    };
    await Promise.all(sockets.map((s) => new Promise((done) => (s.ws.once('close', done), s.ws.close()))));
    return result;
  } finally {
    await gatehouse.stop();
  }
}

/** The push sockets of one client mode; `expect` resolves once every socket listens for write `write`. */
interface PushClients {
  expect(write: number): Promise<{ heard: Promise<number[]> }>;
  close(): Promise<void>;
}

const timeout = (write: number) =>
  pause(15_000).then(() => {
    throw new Error(`write ${write}: not every socket heard homescreen.changed within 15 s`);
  });

/** All sockets on this event loop (BENCH_WS_CLIENT_THREADS=0): parsed and awaited one by one, as before threads. */
async function mainThreadClients(urls: string[], counts: number[], token: string): Promise<PushClients> {
  const sockets: Socket[] = [];
  for (const [g, url] of urls.entries()) sockets.push(...(await openMany(url, token, counts[g])).sockets);
  return {
    expect: async (write) => ({
      heard: Promise.race([Promise.all(sockets.map((s) => s.received('homescreen.changed'))), timeout(write)]),
    }),
    close: async () => sockets.forEach((s) => s.ws.terminate()),
  };
}

/** A worker's replies in order (bench/support/ws-client-thread.ts); an error, exit or `failed` rejects. */
function replies(worker: Worker): () => Promise<ClientThreadReply> {
  const queue: ClientThreadReply[] = [];
  let failure: Error | undefined;
  let wake = () => {};
  worker.on('message', (reply: ClientThreadReply) => (queue.push(reply), wake()));
  worker.on('error', (error) => ((failure ??= error), wake()));
  worker.on('exit', (code) => ((failure ??= new Error(`client thread exited (${code})`)), wake()));
  return async () => {
    while (!queue.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
    const reply = queue.shift();
    if (!reply) throw failure!;
    if ('failed' in reply) throw new Error(reply.failed);
    if ('error' in reply) throw new Error(reply.error);
    return reply;
  };
}

/** The sockets spread over `threads` worker threads, each with its share of both gateways' sockets. */
async function threadClients(urls: string[], counts: number[], token: string, threads: number): Promise<PushClients> {
  const workers = Array.from({ length: threads }, (_, t) => {
    const workerData: ClientThreadData = {
      urls: urls.map(wsUrl),
      counts: counts.map((count) => Math.floor(count / threads) + (t < count % threads ? 1 : 0)),
      accessToken: token,
      inFlight: Math.ceil(IN_FLIGHT / threads),
    };
    const worker = new Worker(path.join(__dirname, 'support/ws-client-thread.ts'), { workerData });
    return { worker, next: replies(worker) };
  });
  const opened = await Promise.all(workers.map((w) => w.next()));
  const total = opened.reduce((sum, reply) => sum + ('opened' in reply ? reply.opened : 0), 0);
  process.stdout.write(`sockets: ${total} over ${threads} client threads\n`);
  return {
    expect: async (write) => {
      for (const { worker } of workers) worker.postMessage({ expect: write });
      await Promise.all(workers.map((w) => w.next()));
      const heard = Promise.all(workers.map((w) => w.next())).then((all) => all.flatMap((reply) => ('times' in reply ? reply.times : [])));
      return { heard };
    },
    close: async () => {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}

async function pushes() {
  const gatehouse = await startGatehouse({ env: { BENCH_SERVICE_ENV: JSON.stringify({ WS_UNAUTHENTICATED_PER_ADDRESS: '10000' }) } });
  let second: Server | undefined;
  try {
    second = await startGateway(gatehouse.env!);
    const token = await gatehouseToken(gatehouse.url);
    const urls = [gatehouse.url, second.url];
    const half = Math.floor(PUSH_SOCKETS / 2);
    const counts = [half, PUSH_SOCKETS - half];
    // Where the time goes: the event as NATS delivers it (to this process, as to the gateways) and the PUT's answer.
    const nats = await connect({ servers: gatehouse.env!.NATS_URL });
    let eventAt = 0;
    const events = nats.subscribe(HomeScreenSubjects.homeScreenChanged, { callback: () => (eventAt = now()) });
    const modes = [];
    for (const threads of CLIENT_THREADS) {
      const clientThreads = Math.min(threads, PUSH_SOCKETS);
      const clients =
        clientThreads > 0 ? await threadClients(urls, counts, token, clientThreads) : await mainThreadClients(urls, counts, token);
      const perSocket: number[] = [];
      const toLast: number[] = [];
      const toEvent: number[] = [];
      const eventToLast: number[] = [];
      const toAnswer: number[] = [];
      let cpu = process.cpuUsage(); // this process, all its threads: the client's own work, survives load
      // the servers' CPU over the measured writes, from /proc: each gateway, and the services (directory's write)
      const serverPids = [gatehouse.gateway.pid!, second.pid!, gatehouse.services.pid!];
      let serverCpu = serverPids.map(processCpuMs);
      for (let round = 0; round < WARM_UP_WRITES + WRITES; round++) {
        const write = round - WARM_UP_WRITES; // negative: a warm-up write
        if (write === 0) {
          cpu = process.cpuUsage();
          serverCpu = serverPids.map(processCpuMs);
        }
        const { heard } = await clients.expect(round);
        const sent = now();
        const response = await fetch(`${gatehouse.url}/api/v1/me/homescreen`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ raw: `:Apps ${round},chat,users` }),
        });
        const answered = now() - sent;
        if (!response.ok) throw new Error(`PUT /me/homescreen: ${response.status} ${await response.text()}`);
        const times = await heard;
        if (write < 0) continue; // a warm-up write: heard by every socket, not measured
        toAnswer.push(answered);
        const latencies = times.map((t) => t - sent);
        perSocket.push(...latencies);
        toLast.push(Math.max(...latencies));
        toEvent.push(eventAt - sent);
        eventToLast.push(Math.max(...times) - eventAt);
        await pause(100);
      }
      const { user, system } = process.cpuUsage(cpu);
      const [gateway1Ms, gateway2Ms, servicesMs] = serverPids.map((pid, i) => processCpuMs(pid) - serverCpu[i]);
      await clients.close();
      modes.push({
        sockets: PUSH_SOCKETS,
        gateways: 2,
        writes: WRITES,
        warmUpWrites: WARM_UP_WRITES,
        // 0: every client socket on the bench's one event loop; n: spread over n worker threads
        clientThreads,
        toLastSocket: summarize(toLast),
        perSocket: summarize(perSocket),
        // the same writes cut in two: PUT to the event on NATS (gateway, directory, database), event to the last socket
        toEvent: summarize(toEvent),
        eventToLastSocket: summarize(eventToLast),
        putAnswered: summarize(toAnswer),
        // the bench process's CPU (all threads, the PUTs and NATS included) per socket per write
        clientCpuUsPerSocketMessage: +((user + system) / (WRITES * PUSH_SOCKETS)).toFixed(1),
        // the servers' CPU (/proc, 10 ms ticks, the 100 ms pauses between writes included): each gateway per socket
        // it wrote to (its PUTs' share included for the first), the services per write
        gatewayCpuUsPerSocketMessage: [gateway1Ms, gateway2Ms].map((ms, g) => +((ms * 1000) / (WRITES * counts[g])).toFixed(1)),
        servicesCpuMsPerWrite: +(servicesMs / WRITES).toFixed(2),
      });
    }
    events.unsubscribe();
    await nats.close();
    // one mode (the usual run): its figures; a list of modes: the first's, and the others beside them
    const [first, ...others] = modes;
    return others.length ? { ...first, otherClientModes: others } : first;
  } finally {
    await second?.stop();
    await gatehouse.stop();
  }
}

async function main() {
  // BENCH_WS_ONLY=idle|push: one part alone, printed, the results file left as it was (while working on one)
  if (ONLY)
    return console.log(JSON.stringify(ONLY === 'idle' ? { idle: await idleSockets() } : { homeScreenPush: await pushes() }, null, 2));
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
