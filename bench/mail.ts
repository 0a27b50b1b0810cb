// bench/mail: mails per second through the mailer (NATS request, BullMQ queue in Redis, the worker
// rendering and sending, the mail log) into a local SMTP server, against nodemailer sending the same
// number of mails straight to that server in the same run: as the worker does (a connection per mail,
// 4 at a time), and pooled, for what pooling would give.
// Run: npm run bench:mail   (BENCH_MAILS=300 for a quick run)
import { createTransport } from 'nodemailer';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink } from '@gatehouse/testing';
import { ratio, startGatehouse, writeResults } from './support/harness';

const MAILS = Number(process.env.BENCH_MAILS ?? '2000');
const WORKER_CONCURRENCY = 4; // apps/mailer/src/queue/mail-queue.ts
const data = { displayName: 'Alice Adler', device: 'Firefox on Linux', ip: '192.0.2.1', time: '2026-12-06T12:00:00.000Z' };

async function waitForMessages(sink: SmtpSink, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sink.messages.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${sink.messages.length} of ${count} mails arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function throughMailer(sink: SmtpSink): Promise<{ mailsPerSecond: number; seconds: number; enqueueSeconds: number }> {
  const gatehouse = await startGatehouse();
  const nats = new NatsClient(gatehouse.env!.NATS_URL, 'bench-mail', 60_000);
  try {
    await nats.send('mailer.config.set', {
      actor: { kind: 'system', service: 'bench' },
      config: sink.mailerConfig({ verificationLink: 'https://login.gatehouse.test/api/v1' }),
    });
    const run = Date.now().toString(36);
    const send = (i: number, key: string) =>
      nats.send('mailer.mail.send', {
        kind: 'newDevice',
        to: `user${i}@example.test`,
        language: 'en',
        data,
        idempotencyKey: `${key}-${i}`,
      });
    // warm-up: the worker's first job, the templates, the first SMTP connection
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(i, `warm-${run}`)));
    await waitForMessages(sink, 20, 60_000);
    sink.messages.length = 0;
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < MAILS) await send(next++, `bench-${run}`);
      }),
    );
    const enqueued = performance.now();
    await waitForMessages(sink, MAILS, 600_000);
    const seconds = (performance.now() - started) / 1000;
    return {
      mailsPerSecond: +(MAILS / seconds).toFixed(1),
      seconds: +seconds.toFixed(1),
      enqueueSeconds: +((enqueued - started) / 1000).toFixed(1),
    };
  } finally {
    await nats.close();
    await gatehouse.stop();
  }
}

async function rawNodemailer(sink: SmtpSink, pooled: boolean): Promise<{ mailsPerSecond: number; seconds: number }> {
  sink.messages.length = 0;
  const options = { host: sink.host, port: sink.port, secure: false, name: 'mail.gatehouse.test', ignoreTLS: true };
  const pool = pooled ? createTransport({ ...options, pool: true, maxConnections: WORKER_CONCURRENCY }) : undefined;
  const mail = (i: number) => ({
    from: '"Gatehouse" <noreply@gatehouse.test>',
    to: `user${i}@example.test`,
    subject: 'New sign-in to your account',
    text: `Hello ${data.displayName}, a new device signed in: ${data.device} from ${data.ip} at ${data.time}.`,
    html: `<p>Hello ${data.displayName},</p><p>a new device signed in: <b>${data.device}</b> from ${data.ip} at ${data.time}.</p>`,
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKER_CONCURRENCY }, async () => {
      while (next < MAILS) {
        const i = next++;
        if (pool) await pool.sendMail(mail(i));
        else {
          const transport = createTransport(options); // as the worker: a transport, and a connection, per mail
          try {
            await transport.sendMail(mail(i));
          } finally {
            transport.close();
          }
        }
      }
    }),
  );
  pool?.close();
  await waitForMessages(sink, MAILS, 60_000);
  const seconds = (performance.now() - started) / 1000;
  return { mailsPerSecond: +(MAILS / seconds).toFixed(1), seconds: +seconds.toFixed(1) };
}

async function main() {
  const sink = await SmtpSink.start();
  try {
    const rawBefore = await rawNodemailer(sink, false);
    const mailer = await throughMailer(sink);
    const rawAfter = await rawNodemailer(sink, false);
    const pooled = await rawNodemailer(sink, true);
    const raw = +((rawBefore.mailsPerSecond + rawAfter.mailsPerSecond) / 2).toFixed(1);
    const summary = {
      mails: MAILS,
      mailer,
      rawNodemailer: { mailsPerSecond: raw, before: rawBefore, after: rawAfter, concurrency: WORKER_CONCURRENCY },
      rawNodemailerPooled: pooled,
      mailerVsRaw: ratio(mailer.mailsPerSecond, raw),
      mailerVsPooled: ratio(mailer.mailsPerSecond, pooled.mailsPerSecond),
      targets: { mailerVsRaw: '>= 0.8' },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('mail', summary);
  } finally {
    await sink.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
