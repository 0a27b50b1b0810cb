// Latency of a list of requests sent back to back over a few keep-alive connections (bench/admin.ts):
// each timed from the moment it is handed to the HTTP agent until its body has arrived.
import { readFileSync } from 'node:fs';
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

/** CPU seconds (user + system, every thread) a process has used so far, from /proc (Linux); 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: utime is the 14th
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks, 100 a second
  } catch {
    return 0;
  }
}

/**
 * CPU milliseconds per request that each named group of processes spent while `run` ran. A group's processes are
 * listed at the start and at the end (PostgreSQL backends come and go with the services' pool): one that started
 * meanwhile counts whole, one that ended meanwhile is lost.
 */
export async function cpuPerRequest<T extends { requests: number }>(
  processes: Record<string, () => number[] | Promise<number[]>>,
  run: () => Promise<T>,
): Promise<T & { cpuMsPerRequest: Record<string, number> }> {
  const read = async (list: () => number[] | Promise<number[]>) => new Map((await list()).map((pid) => [pid, cpuSecondsOf(pid)]));
  const before = new Map(await Promise.all(Object.entries(processes).map(async ([name, list]) => [name, await read(list)] as const)));
  const result = await run();
  const cpuMsPerRequest: Record<string, number> = {};
  for (const [name, list] of Object.entries(processes)) {
    const start = before.get(name)!;
    let seconds = 0;
    for (const [pid, now] of await read(list)) seconds += now - (start.get(pid) ?? 0);
    cpuMsPerRequest[name] = +((seconds * 1000) / Math.max(1, result.requests)).toFixed(2);
  }
  return { ...result, cpuMsPerRequest };
}
