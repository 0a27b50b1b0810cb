import { Injectable } from '@nestjs/common';
import { SmtpConfigService } from './smtp-config.service';

type TestResult = { ok: true; response: string } | { ok: false; code: 'mail_failed'; message: string };

/** Sends synchronously so the admin sees the SMTP server's own answer (e.g. "535 Authentication failed"). */
@Injectable()
export class TestMailService {
  constructor(private readonly config: SmtpConfigService) {}

  async send(to: string): Promise<TestResult> {
    const smtp = await this.config.transport();
    if (!smtp) return { ok: false, code: 'mail_failed', message: 'no SMTP account is configured' };
    try {
      // TODO(issue 5): use the localized `test` template once apps/mailer/src/templates exists.
      const info = await smtp.transporter.sendMail({
        from: smtp.from,
        to,
        subject: 'Gatehouse test mail',
        text: 'This is a test mail from Gatehouse. Your SMTP settings work.',
        html: '<p>This is a test mail from Gatehouse. Your SMTP settings work.</p>',
      });
      return { ok: true, response: String(info.response) };
    } catch (error) {
      return { ok: false, code: 'mail_failed', message: smtpMessage(error) };
    } finally {
      smtp.transporter.close();
    }
  }
}

const smtpMessage = (error: unknown): string => {
  const e = error as { response?: string; message?: string };
  return e.response ?? e.message ?? 'unknown SMTP error';
};
