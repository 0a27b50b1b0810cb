import { Inject, Injectable } from '@nestjs/common';
import { Language, ReplyOf, TestMailFailure } from '@gatehouse/contracts';
import { LOGGER, Logger, OutboundRefusedError } from '@gatehouse/platform';
import { z } from 'zod';
import { renderMail } from '../templates/render';
import { SmtpConfigService } from './smtp-config.service';

type Reason = z.infer<typeof TestMailFailure>;

/**
 * The test answers within the gateway's default NATS timeout (5 s), and a failed connection answers
 * after the same time whether the port was closed or silent, so the test cannot map open ports.
 */
const CONNECT_TIMEOUT_MS = 3000;
const CONNECTION_FAILURE_AFTER_MS = 4000;

/** One fixed sentence per stage: the answer says how far the mail got, never what the remote server said. */
const MESSAGES: Record<Reason, string> = {
  not_configured: 'No SMTP account is configured',
  address_not_allowed: 'The SMTP host is on a loopback, link-local or private address, which this installation does not allow',
  connection:
    'No SMTP conversation could be held with the server (connection refused, timed out, or not an SMTP server); the mailer log has the details',
  tls: 'The TLS connection to the SMTP server failed; the mailer log has the details',
  authentication: 'The SMTP server refused the username or password',
  rejected: 'The SMTP server did not accept the mail; the mailer log has its answer',
};

/**
 * Sends synchronously so the admin learns at once whether the settings work. The SMTP server's own
 * text goes to the log only: pointed at another internal service, the answer would echo its banner.
 */
@Injectable()
export class TestMailService {
  constructor(
    private readonly config: SmtpConfigService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `language`: the administrator's, so the test mail reads as the users' mails will. */
  async send(to: string, language: Language): Promise<ReplyOf<'mailer.test.send'>> {
    const started = Date.now();
    let smtp: Awaited<ReturnType<SmtpConfigService['transport']>>;
    try {
      smtp = await this.config.transport(CONNECT_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof OutboundRefusedError) return this.failed('address_not_allowed', error);
      await sleep(started + CONNECTION_FAILURE_AFTER_MS - Date.now());
      return this.failed('connection', error);
    }
    if (!smtp) return this.failed('not_configured');
    try {
      const mail = renderMail('test', language, {}, smtp.account.verificationLink);
      const info = await smtp.transporter.sendMail({ from: smtp.from, to, ...mail });
      const response = String(info.response);
      this.logger.info({ event: 'mailer.test_sent', smtpResponse: response }, 'test mail accepted by the SMTP server');
      return { ok: true, response: `${/^\d{3}/.exec(response)?.[0] ?? '250'} accepted` };
    } catch (error) {
      const reason = stageOf(error);
      if (reason === 'connection' || reason === 'tls') await sleep(started + CONNECTION_FAILURE_AFTER_MS - Date.now());
      return this.failed(reason, error);
    } finally {
      smtp.transporter.close();
    }
  }

  private failed(reason: Reason, error?: unknown): ReplyOf<'mailer.test.send'> {
    if (error !== undefined) {
      const e = error as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
      this.logger.warn(
        { event: 'mailer.test_failed', reason, errorCode: e.code, smtpCode: e.responseCode, smtpResponse: e.response },
        `test mail failed (${reason}): ${String(e.message ?? error)}`,
      );
    }
    return { ok: false, code: 'mail_failed', reason, message: MESSAGES[reason] };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** nodemailer's error codes, by how far the conversation got. */
function stageOf(error: unknown): Reason {
  switch ((error as { code?: unknown }).code) {
    case 'EAUTH':
      return 'authentication';
    case 'EENVELOPE':
    case 'EMESSAGE':
      return 'rejected';
    case 'ETLS':
      return 'tls';
    default:
      return 'connection';
  }
}
