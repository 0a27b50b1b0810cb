import type { Env } from '@gatehouse/config';
import { ManualClock } from '@gatehouse/platform';
import { LogCapture, TestEnv, createTestEnv } from '@gatehouse/testing';
import { System, startAll } from '../../tools/standalone/start-all';

export interface TestSystem extends System {
  testEnv: TestEnv;
  logs: LogCapture;
  clock: ManualClock;
  /** Stops the system and removes this file's database and NATS server. */
  stop(): Promise<void>;
}

/** The whole system in this process against this file's own database, Redis prefix and NATS. */
export async function startTestSystem(overrides: Env = {}): Promise<TestSystem> {
  const testEnv = await createTestEnv(overrides);
  const logs = new LogCapture();
  const clock = new ManualClock();
  // A system that fails to start takes its database and NATS server with it: the file's afterAll
  // has no system to stop.
  const system = await startAll(testEnv.env, { clock, logDestination: logs }).catch(async (error: unknown) => {
    await testEnv.cleanup();
    throw error;
  });
  return {
    ...system,
    testEnv,
    logs,
    clock,
    async stop() {
      // A stop that hangs says which app it waits for (an afterAll once timed out in CI).
      const open = new Set(['gateway', ...system.services.map((_, i) => `service#${i}`)]);
      const watch = setInterval(() => console.warn(`still stopping after 10 s: ${[...open].join(', ')}`), 10_000);
      try {
        await system.gateway.close();
        open.delete('gateway');
        await Promise.all(system.services.map((service, i) => service.close().then(() => open.delete(`service#${i}`))));
      } finally {
        clearInterval(watch);
      }
      await testEnv.cleanup();
    },
  };
}

/** JSON over HTTP against the gateway, as a client would call it. */
export async function api(
  system: { url: string },
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${system.url}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, headers: response.headers };
}
