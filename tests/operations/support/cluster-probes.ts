import { connect } from 'nats';
import { Client } from 'pg';

/** A counter's value in a process's Prometheus text, 0 when it has no such series yet. */
export async function counter(process: { metrics(): Promise<string> }, name: string, labels: Record<string, string>): Promise<number> {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = (await process.metrics()).split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((label) => l.includes(label)));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Every event on `subject` from now on, as the services publish it (`{ pattern, data }`). */
export async function subscribe(natsUrl: string, subject: string) {
  const nc = await connect({ servers: natsUrl, name: 'replicas-test-listener' });
  const messages: Record<string, unknown>[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_error, msg) => messages.push(msg.json<{ data: Record<string, unknown> }>().data),
  });
  await nc.flush();
  return {
    messages,
    async close() {
      sub.unsubscribe();
      await nc.drain();
    },
  };
}

/** Moves a user's sessions into the past, as if their lifetime had run out. */
export async function expireSessionsOf(databaseUrl: string, userId: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE "sessions"."Session" SET "expiresAt" = now() - interval '1 second' WHERE "userId" = $1`, [userId]);
  } finally {
    await db.end();
  }
}
