// Latency of a list of requests sent back to back over a few keep-alive connections (bench/admin.ts):
// each timed from the moment it is handed to the HTTP agent until its body has arrived.
import http from 'node:http';

export interface Timing {
  requests: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(2);

export function summarize(latencies: number[], errors = 0): Timing {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
  };
}

/** GETs each path `rounds` times (in turn), `connections` at a time; a non-2xx answer counts as an error. */
export async function timeGets(
  base: string,
  paths: string[],
  headers: Record<string, string>,
  rounds: number,
  connections = 2,
): Promise<Timing & { sample?: unknown }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const queue = Array.from({ length: rounds }, () => paths).flat();
  const latencies: number[] = [];
  let errors = 0;
  let sample: unknown;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const sent = process.hrtime.bigint();
      const request = http.get(`${base}${path}`, { agent, headers }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
          if ((response.statusCode ?? 500) >= 300) {
            errors++;
            sample ??= body;
          }
          resolve();
        });
      });
      request.on('error', () => {
        errors++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) await one(path);
    }),
  );
  agent.destroy();
  return { ...summarize(latencies, errors), ...(sample ? { sample } : {}) };
}
