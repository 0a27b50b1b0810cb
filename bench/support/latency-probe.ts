// A latency probe in its own process: GET requests at a steady rate, spread evenly over time, each
// timed from the moment it is handed to the HTTP agent. The probe does not wait for answers before
// sending more (a stalled server shows as requests queued for a free connection, counted in their
// time). autocannon's `overallRate` sends each second's requests in one burst, which measures its
// own queue more than the server; this measures the server. Prints one JSON line of figures.
import http from 'node:http';
import { collectGarbage } from './gc';

export interface ProbeOptions {
  url: string;
  headers?: Record<string, string>;
  ratePerSecond: number;
  seconds: number;
  connections: number;
  /** Also return every timed request's latency (`latenciesMs`), so that several windows' figures can be pooled (pooled()). */
  samples?: boolean;
}

export interface ProbeFigures {
  requests: number;
  errors: number;
  non2xx: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  latenciesMs?: number[];
}

/** Untimed rounds of one request per connection before the timed ones. */
const WARM_UP_ROUNDS = 3;

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(2);

/** The figures of sorted latencies. */
function figuresOf(sorted: number[], errors: number, non2xx: number): ProbeFigures {
  return {
    requests: sorted.length,
    errors,
    non2xx,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
  };
}

/**
 * One set of figures over several windows' samples (each probed with `samples: true`): a p99 of 4,000 requests
 * over two windows moves less with one disturbed second than either window's p99 of 2,000.
 */
export function pooled(windows: ProbeFigures[]): ProbeFigures {
  const all = windows.flatMap((w) => w.latenciesMs ?? []).sort((a, b) => a - b);
  const sum = (key: 'errors' | 'non2xx') => windows.reduce((n, w) => n + w[key], 0);
  return figuresOf(all, sum('errors'), sum('non2xx'));
}

export async function probe({ url, headers = {}, ratePerSecond, seconds, connections, samples }: ProbeOptions): Promise<ProbeFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(ratePerSecond * seconds);
  const intervalNs = BigInt(Math.round(1e9 / ratePerSecond));
  let latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inFlight: Promise<void>[] = [];

  const send = () =>
    new Promise<void>((resolve) => {
      const sent = process.hrtime.bigint();
      const request = http.get(url, { agent, headers }, (response) => {
        if (response.statusCode === undefined || response.statusCode >= 300) non2xx++;
        response.resume();
        response.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
          resolve();
        });
      });
      request.on('error', () => {
        errors++;
        resolve();
      });
    });

  // Untimed: every connection opened and this process's own code warmed first. Otherwise the first
  // requests of each run paid for both, ~1 % of a 5 s window, which is exactly its p99. Then this new
  // process's start-up garbage collected (its modules, the TypeScript loader's ~25 MB): left alone, its
  // first full collection came 2–3 s into the timed requests, marking steps of up to 8 ms on this event
  // loop, timed as the server's latency.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) await Promise.all(Array.from({ length: connections }, send));
  collectGarbage();
  latencies = [];
  errors = 0;
  non2xx = 0;

  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const due = start + BigInt(i) * intervalNs;
    const waitMs = Number(due - process.hrtime.bigint()) / 1e6;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const figures = figuresOf(latencies, errors, non2xx);
  return samples ? { ...figures, latenciesMs: latencies.map((ms) => +ms.toFixed(3)) } : figures;
}

if (require.main === module) {
  const options = JSON.parse(process.env.PROBE_OPTIONS!) as ProbeOptions;
  void probe(options).then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`));
}
