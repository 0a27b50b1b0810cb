// bench/mail: mails per second through the mailer (NATS request, BullMQ queue in Redis, the worker
// rendering and sending, the mail log) into a local SMTP server, against nodemailer sending the same
// number of mails straight to that server in the same run, as the worker does: one pool of
// MAILER_SMTP_POOL_SIZE connections with MAILER_CONCURRENCY mails in flight (the mailer's defaults, or
// BENCH_MAIL_CONCURRENCY / BENCH_MAIL_POOL_SIZE for both). That control runs before and after the mailer;
// a connection per mail (the mailer before pooling) is measured on a few mails for reference. So is the
// same pooled nodemailer in a process of its own (rawNodemailerOwnProcess), a check on the control: it
// shares an event loop with the SMTP server, whereas the mailer's SMTP round trips cross processes.
// Run: npm run bench:mail   (BENCH_MAILS=300 for a quick run)
import { spawn } from 'node:child_process';
import { createTransport } from 'nodemailer';
import { MailerSubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink } from '@gatehouse/testing';
import { mailerConfigSchema } from '../apps/mailer/src/config';
import { processCpuSeconds, ratio, startGatehouse, writeResults } from './support/harness';

const MAILS = Number(process.env.BENCH_MAILS ?? '2000');
const PER_CONNECTION_MAILS = Math.min(MAILS, 200);
/** The same number of mails in flight and SMTP connections for the mailer and for nodemailer. */
const CONCURRENCY = Number(process.env.BENCH_MAIL_CONCURRENCY ?? mailerConfigSchema.shape.MAILER_CONCURRENCY.parse(undefined));
const POOL_SIZE = Number(process.env.BENCH_MAIL_POOL_SIZE ?? mailerConfigSchema.shape.MAILER_SMTP_POOL_SIZE.parse(undefined));
const data = { displayName: 'Alice Adler', device: 'Firefox on Linux', ip: '192.0.2.1', time: '2026-12-06T12:00:00.000Z' };

async function waitForMessages(sink: SmtpSink, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sink.messages.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${sink.messages.length} of ${count} mails arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function throughMailer(sink: SmtpSink) {
  const gatehouse = await startGatehouse({
    env: { BENCH_SERVICE_ENV: JSON.stringify({ MAILER_CONCURRENCY: String(CONCURRENCY), MAILER_SMTP_POOL_SIZE: String(POOL_SIZE) }) },
  });
  const nats = new NatsClient(gatehouse.env!.NATS_URL, 'bench-mail', 60_000);
  try {
    await nats.send(MailerSubjects.configSet, {
      actor: { kind: 'system', service: 'bench' },
      config: sink.mailerConfig({ verificationLink: 'https://login.gatehouse.test/api/v1' }),
    });
    const run = Date.now().toString(36);
    const send = (i: number, key: string) =>
      nats.send(MailerSubjects.mailSend, {
        kind: 'newDevice',
        to: `user${i}@example.test`,
        language: 'en',
        data,
        idempotencyKey: `${key}-${i}`,
      });
    // warm-up: the worker's first job, the templates, the first SMTP connections
    await Promise.all(Array.from({ length: 50 }, (_, i) => send(i, `warm-${run}`)));
    await waitForMessages(sink, 50, 60_000);
    sink.messages.length = 0;
    const pid = gatehouse.services.pid!;
    const servicesCpu = processCpuSeconds(pid);
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
    const servicesCpuMs = (processCpuSeconds(pid) - servicesCpu) * 1000;
    return {
      mailsPerSecond: +(MAILS / seconds).toFixed(1),
      seconds: +seconds.toFixed(2),
      enqueueSeconds: +((enqueued - started) / 1000).toFixed(2),
      // the services' process (the mailer, and the NATS replies): the cost of a mail that survives a busy machine
      servicesCpuMsPerMail: +(servicesCpuMs / MAILS).toFixed(2),
    };
  } finally {
    await nats.close();
    await gatehouse.stop();
  }
}

const mail = (i: number) => ({
  from: '"Gatehouse" <noreply@gatehouse.test>',
  to: `user${i}@example.test`,
  subject: 'New sign-in to your account',
  text: `Hello ${data.displayName}, a new device signed in: ${data.device} from ${data.ip} at ${data.time}.`,
  html: `<p>Hello ${data.displayName},</p><p>a new device signed in: <b>${data.device}</b> from ${data.ip} at ${data.time}.</p>`,
});

const smtpOptions = (host: string, port: number) => ({ host, port, secure: false, name: 'mail.gatehouse.test', ignoreTLS: true });

/** Sends `count` mails with CONCURRENCY of them in flight, as the worker does. */
async function sendInFlight(count: number, send: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await send(next++);
    }),
  );
}

/** nodemailer as the worker sends: `concurrency` mails in flight over one pool, or a transport (and connection) per mail. */
async function rawNodemailer(sink: SmtpSink, mails: number, pooled: boolean) {
  sink.messages.length = 0;
  const options = smtpOptions(sink.host, sink.port);
  const pool = pooled ? createTransport({ ...options, pool: true, maxConnections: POOL_SIZE }) : undefined;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sendInFlight(mails, async (i) => {
    if (pool) return pool.sendMail(mail(i));
    const transport = createTransport(options);
    try {
      return await transport.sendMail(mail(i));
    } finally {
      transport.close();
    }
  });
  await waitForMessages(sink, mails, 60_000);
  const seconds = (performance.now() - started) / 1000;
  pool?.close();
  return {
    mailsPerSecond: +(mails / seconds).toFixed(1),
    seconds: +seconds.toFixed(2),
    // nodemailer and the sink share this process: the CPU both spent
    benchCpuMsPerMail: +((cpuSeconds(cpu) * 1000) / mails).toFixed(2),
  };
}

/** The pooled control in a process of its own (BENCH_MAIL_ROLE=raw-client runs this file as that process). */
async function rawNodemailerOwnProcess(sink: SmtpSink, mails: number) {
  sink.messages.length = 0;
  const warmUp = Math.min(mails, 100);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
    env: { ...process.env, BENCH_MAIL_ROLE: 'raw-client', BENCH_MAIL_PORT: String(sink.port), BENCH_MAIL_COUNT: String(mails) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let started = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!started && output.includes('go\n')) started = performance.now(); // its warm-up is done
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`raw client exited with ${code}`)))),
  );
  await waitForMessages(sink, warmUp + mails, 120_000);
  const seconds = (performance.now() - started) / 1000;
  await exited;
  const { cpuMsPerMail } = JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!) as { cpuMsPerMail: number };
  return {
    mailsPerSecond: +(mails / seconds).toFixed(1),
    seconds: +seconds.toFixed(2),
    clientCpuMsPerMail: +cpuMsPerMail.toFixed(2),
  };
}

async function rawClient() {
  const mails = Number(process.env.BENCH_MAIL_COUNT);
  const pool = createTransport({ ...smtpOptions('127.0.0.1', Number(process.env.BENCH_MAIL_PORT)), pool: true, maxConnections: POOL_SIZE });
  const run = (count: number) => sendInFlight(count, (i) => pool.sendMail(mail(i)));
  await run(Math.min(mails, 100));
  process.stdout.write('go\n');
  const cpu = process.cpuUsage();
  await run(mails);
  process.stdout.write(`${JSON.stringify({ cpuMsPerMail: (cpuSeconds(cpu) * 1000) / mails })}\n`);
  pool.close();
}

async function main() {
  const sink = await SmtpSink.start();
  try {
    await rawNodemailer(sink, Math.min(MAILS, 100), true); // warm-up: nodemailer, the sink's parser
    const before = await rawNodemailer(sink, MAILS, true);
    const mailer = await throughMailer(sink);
    const after = await rawNodemailer(sink, MAILS, true);
    const ownProcess = await rawNodemailerOwnProcess(sink, MAILS);
    const perConnection = await rawNodemailer(sink, PER_CONNECTION_MAILS, false);
    const raw = +((before.mailsPerSecond + after.mailsPerSecond) / 2).toFixed(1);
    const summary = {
      mails: MAILS,
      inFlight: {
        concurrency: CONCURRENCY,
        smtpConnections: POOL_SIZE,
        note: 'the mailer (MAILER_CONCURRENCY, MAILER_SMTP_POOL_SIZE) and the pooled nodemailer control use the same',
      },
      mailer,
      rawNodemailer: { mailsPerSecond: raw, before, after, pooled: true },
      rawNodemailerOwnProcess: {
        ...ownProcess,
        note: 'the same pooled control in a process of its own, the SMTP server in this one (as for the mailer), for reference',
      },
      rawNodemailerPerConnection: { ...perConnection, mails: PER_CONNECTION_MAILS, note: 'a connection per mail, for reference' },
      mailerVsRaw: ratio(mailer.mailsPerSecond, raw),
      mailerVsRawOwnProcess: ratio(mailer.mailsPerSecond, ownProcess.mailsPerSecond),
      targets: { mailerVsRaw: '>= 0.8' },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('mail', summary);
  } finally {
    await sink.stop();
  }
}

(process.env.BENCH_MAIL_ROLE === 'raw-client' ? rawClient() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
