import { z } from 'zod';
import { MailerTestSendRes, SmtpConfigInput, SmtpConfigView } from '../mailer/mailer.contract';
import { Language } from '../common/schemas';

/** PUT /api/v1/admin/config/email; password is write-only (omit = keep, "" = clear). */
export const PutEmailConfigBody = SmtpConfigInput;
export const EmailConfigResponse = z.object({ config: SmtpConfigView.nullable() });
/** POST /api/v1/admin/config/email/test */
export const TestEmailBody = z.object({ to: z.email(), language: Language.default('en') }).strict();
export const TestEmailResponse = MailerTestSendRes;
