// One client thread of bench/ws.ts's push part: opens its share of one user's sockets (half to each gateway),
// and per write reports when each of them heard `homescreen.changed`, so the client's own work on receipt is
// spread over threads as real devices receive in parallel, instead of queueing on one event loop.
// Messages from the bench: { expect: write } (answered { armed: write }), then it posts
// { write, times } (performance.timeOrigin + performance.now(), one per socket) or { write, error } after 15 s.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

export interface ClientThreadData {
  urls: string[];
  counts: number[];
  accessToken: string;
  inFlight: number;
}

export type ClientThreadReply =
  { opened: number } | { armed: number } | { write: number; times: number[] } | { write: number; error: string } | { failed: string };

const CHANGED = '"homescreen.changed"';
const now = () => performance.timeOrigin + performance.now();
const post = (reply: ClientThreadReply) => parentPort!.postMessage(reply);

/** Opens one socket and resolves at `ready`; the auth handshake parses JSON, afterwards nothing does. */
function open(url: string, accessToken: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', accessToken })));
    const onAuth = (data: Buffer) => {
      const { type } = JSON.parse(data.toString()) as { type: string };
      if (type === 'error') reject(new Error(data.toString()));
      if (type !== 'ready') return;
      ws.off('message', onAuth);
      resolve(ws);
    };
    ws.on('message', onAuth);
  });
}

async function main() {
  const { urls, counts, accessToken, inFlight } = workerData as ClientThreadData;
  const sockets: WebSocket[] = [];
  for (const [g, url] of urls.entries()) {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(inFlight, counts[g]) }, async () => {
        while (next < counts[g]) {
          next++;
          sockets.push(await open(url, accessToken));
        }
      }),
    );
  }

  // Per socket: the arrival time and the raw frame of the current write; both reset by `expect`.
  const times = new Float64Array(sockets.length);
  const frames: (Buffer | undefined)[] = new Array(sockets.length);
  let write = -1;
  let heard = 0;
  let timer: NodeJS.Timeout | undefined;
  sockets.forEach((ws, i) =>
    ws.on('message', (data: Buffer) => {
      const at = now();
      if (write < 0 || times[i] !== 0 || !data.includes(CHANGED)) return;
      times[i] = at;
      frames[i] = data;
      if (++heard < sockets.length) return;
      clearTimeout(timer);
      post({ write, times: Array.from(times) });
      write = -1;
    }),
  );

  parentPort!.on('message', (message: { expect: number }) => {
    write = message.expect;
    heard = 0;
    times.fill(0);
    frames.fill(undefined);
    clearTimeout(timer);
    timer = setTimeout(() => {
      post({
        write,
        error: `write ${write}: ${sockets.length - heard} of this thread's sockets did not hear homescreen.changed within 15 s`,
      });
      write = -1;
    }, 15_000);
    post({ armed: write });
  });
  post({ opened: sockets.length });
}

main().catch((error: unknown) => post({ failed: String((error as Error)?.stack ?? error) }));
