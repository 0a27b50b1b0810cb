import { connect } from 'nats';
import { Client } from 'pg';
import { SessionsSubjects } from '@gatehouse/contracts';

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

/**
 * Every session end announced from now on, one message per session (`{ sessionId, userId, external, reason }`):
 * single ends (`sessions.session.revoked`) and the sweep's batches (`sessions.session.revoked-batch`, unrolled);
 * `batches` keeps the batch announcements as they came.
 */
export async function subscribeRevocations(natsUrl: string) {
  const [single, batch] = await Promise.all([
    subscribe(natsUrl, SessionsSubjects.revoked),
    subscribe(natsUrl, SessionsSubjects.revokedBatch),
  ]);
  return {
    batches: batch.messages,
    get messages(): Record<string, unknown>[] {
      const unrolled = batch.messages.flatMap((m) =>
        (m.sessions as Record<string, unknown>[]).map((session) => ({ ...session, reason: m.reason })),
      );
      return [...single.messages, ...unrolled];
    },
    async close() {
      await Promise.all([single.close(), batch.close()]);
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
