// `npm run admin -- <command>`: break-glass for operators (README, "Operators: break-glass").
// Talks to the running services over NATS (auth's `auth.operator.*` subjects), never to the database.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { ConfigError } from '@gatehouse/config';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { OperatorSubjects } from '@gatehouse/contracts';
import { Command, USAGE, UsageError, parseArgs } from './args';
import { AdminCliConfig, loadAdminCliConfig } from './config';

/** sysexits(3) where one fits: scripts can tell a typo from an outage from a refusal. */
export const EXIT = { ok: 0, refused: 1, usage: 64, unavailable: 69, config: 78 } as const;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let command: Command;
  let config: AdminCliConfig;
  try {
    command = parseArgs(argv);
    config = loadAdminCliConfig(io.env);
  } catch (error) {
    if (error instanceof UsageError) return fail(io, EXIT.usage, `${error.message} (npm run admin -- help lists the commands)`);
    if (error instanceof ConfigError) return fail(io, EXIT.config, `configuration error: ${error.message}`);
    throw error;
  }
  if (command.name === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  const nats = new NatsClient(config.NATS_URL, 'gatehouse-admin-cli', config.NATS_REQUEST_TIMEOUT_MS);
  try {
    await execute(command, config, nats, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) return fail(io, EXIT.usage, error.message);
    if (error instanceof AppError) {
      const code = error.code === 'service_unavailable' ? EXIT.unavailable : EXIT.refused;
      // The URL itself may carry NATS credentials: named, not shown.
      const hint = error.code === 'service_unavailable' ? ' (is auth running, and NATS_URL the NATS of the services?)' : '';
      return fail(io, code, `${error.message} [${error.code}]${hint}`);
    }
    return fail(io, EXIT.refused, error instanceof Error ? error.message : String(error));
  } finally {
    await nats.close();
  }
}

async function execute(command: Exclude<Command, { name: 'help' }>, config: AdminCliConfig, nats: NatsClient, io: CliIo): Promise<void> {
  const operator = operatorName();
  switch (command.name) {
    case 'create-admin':
    case 'reset-password': {
      const { password, generated } = await newPassword(command.passwordStdin, config, io);
      const target = { operator, username: command.username, ...(command.domain ? { domain: command.domain } : {}), password };
      if (command.name === 'create-admin') {
        const { user, created } = await nats.send(OperatorSubjects.createAdmin, target, { timeoutMs: 30_000 });
        io.out(`${created ? 'created administrator' : 'administrator now, with a new password:'} ${user.username}@${user.domain}`);
      } else {
        const { user } = await nats.send(OperatorSubjects.resetPassword, target, { timeoutMs: 30_000 });
        io.out(`new password set for ${user.username}@${user.domain}`);
      }
      if (generated) io.out(`password (shown once, store it now): ${password}`);
      return;
    }
    case 'two-factor-off': {
      const { changed } = await nats.send(OperatorSubjects.twoFactorOff, { operator });
      io.out(changed ? 'two-factor approval is off now' : 'two-factor approval was already off');
      return;
    }
    case 'end-sessions': {
      const { user, ended } = await nats.send(OperatorSubjects.endSessions, {
        operator,
        username: command.username,
        ...(command.domain ? { domain: command.domain } : {}),
      });
      io.out(`ended ${ended} session${ended === 1 ? '' : 's'} of ${user.username}@${user.domain}`);
      return;
    }
    case 'list-admins': {
      const reply = await nats.send(OperatorSubjects.listAdmins, { operator, ...(command.domain ? { domain: command.domain } : {}) });
      if (command.json) return io.out(JSON.stringify(reply, null, 2));
      io.out(`administrators of ${reply.domain} (two-factor ${reply.twoFactor ? 'on' : 'off'}):`);
      if (!reply.admins.length) io.out('  none');
      for (const { user, hasPassword, sessions, canApprove } of reply.admins) {
        io.out(
          `  ${user.username}@${user.domain}  email: ${user.email ?? '-'}  password: ${hasPassword ? 'yes' : 'no'}  sessions: ${sessions}  can approve a new login: ${canApprove ? 'yes' : 'no'}`,
        );
      }
      return;
    }
  }
}

/** stdin first (nothing on argv, where `ps` shows it), then the environment, else 144 random bits. */
async function newPassword(fromStdin: boolean, config: AdminCliConfig, io: CliIo): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) {
    const password = (await io.readStdin()).split(/\r?\n/)[0];
    if (!password) throw new UsageError('--password-stdin: stdin held no password (one line expected)');
    return { password, generated: false };
  }
  if (config.GATEHOUSE_NEW_PASSWORD) return { password: config.GATEHOUSE_NEW_PASSWORD, generated: false };
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

/** The audit log's actor: `operator:cli:<account>@<host>`, with what the contract does not allow replaced. */
function operatorName(): string {
  let account = 'unknown';
  try {
    account = userInfo().username;
  } catch {
    // no passwd entry for this uid (some containers)
  }
  return `operator:cli:${account}@${hostname()}`.replace(/[^A-Za-z0-9._@:-]/g, '-').slice(0, 200);
}

function fail(io: CliIo, code: number, message: string): number {
  io.err(`admin: ${message}`);
  return code;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    // The only place this command reads the environment; config.ts validates it.
    env: process.env,
    readStdin,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`admin: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT.refused);
    },
  );
}
