import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';
import { Language } from '../common/schemas';

export const MailerSubjects = {
  health: healthSubject('mailer'),
  configGet: 'mailer.config.get',
  configSet: 'mailer.config.set',
  mailSend: 'mailer.mail.send',
  testSend: 'mailer.test.send',
} as const;

/** The SMTP account as clients see it: the password is write-only, only whether one is set. */
export const SmtpConfigView = z.object({
  host: z.string(),
  port: z.number().int(),
  secure: z.boolean(),
  clientHostName: z.string(),
  senderName: z.string(),
  address: z.string(),
  username: z.string(),
  passwordSet: z.boolean(),
  verificationLink: z.string(),
});
export type SmtpConfigView = z.infer<typeof SmtpConfigView>;

/**
 * The public base of the API as users' browsers reach it, `https://host/api/v1`: approval links are
 * `<base>/approvals/email/<token>`, reset links `<base>/auth/password-reset/<token>`. Nothing may follow
 * the base (no query, fragment or credentials), and its path ends in /api/v1, where the gateway serves.
 */
export const VerificationLink = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000)
  .refine((value) => {
    // zod runs refinements after a failed url check too: an unparsable value is that check's to report.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return (
      !url.search &&
      !url.hash &&
      !url.username &&
      !url.password &&
      /\/api\/v1\/?$/.test(url.pathname) &&
      !value.includes('?') &&
      !value.includes('#')
    );
  }, 'must be the public base of the API, e.g. https://gatehouse.example.com/api/v1 (no query, fragment or user name)')
  .describe(
    'The public base of the API as users reach it, e.g. https://gatehouse.example.com/api/v1; approval and password reset links in mails are built under it (<base>/approvals/email/<token>, <base>/auth/password-reset/<token>).',
  );

export const SmtpConfigInput = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    /** Seed 001: optional; omitted or "" says EHLO with the host name of the verification link. */
    clientHostName: z
      .string()
      .max(253)
      .regex(/^[A-Za-z0-9.:[\]-]*$/, 'must be a host name or an IP address')
      .optional(),
    senderName: z.string().max(200),
    address: z.email(),
    username: z.string().max(320),
    /** Omitted = keep the stored password; "" = clear it. */
    password: z.string().max(1024).optional(),
    /** Base of every link in mails; tokens are appended to it, never to a request Host. */
    verificationLink: VerificationLink,
  })
  .strict();
export type SmtpConfigInput = z.infer<typeof SmtpConfigInput>;

export const MailKind = z.enum(['approvalRequest', 'passwordReset', 'passwordChanged', 'newDevice', 'emailConfirm', 'test']);
export type MailKind = z.infer<typeof MailKind>;

/** Installation-wide: the mailer answers only installation administrators and system callers. */
export const MailerConfigGetReq = z.object({ actor: Actor }).strict();
export const MailerConfigGetRes = z.object({ config: SmtpConfigView.nullable() });
export const MailerConfigSetReq = z.object({ actor: Actor, config: SmtpConfigInput }).strict();
export const MailerConfigSetRes = z.object({ config: SmtpConfigView });

const Text = z.string().min(1).max(500);
/** What each kind of mail needs; links are built by the mailer from the configured verification link. */
export const MailDataByKind = {
  approvalRequest: z
    .object({
      displayName: Text,
      device: Text,
      ip: Text,
      time: Text,
      securityCode: z.string().regex(/^\d{4,12}$/),
      token: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/),
    })
    .strict(),
  passwordReset: z
    .object({ displayName: Text, token: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/), expiresMinutes: z.number().int().min(1).max(10_000) })
    .strict(),
  passwordChanged: z.object({ displayName: Text, time: Text, ip: Text }).strict(),
  newDevice: z.object({ displayName: Text, device: Text, ip: Text, time: Text }).strict(),
  /** Issue 19: a user's new address, confirmed by its link before it replaces the old one. */
  emailConfirm: z
    .object({
      displayName: Text,
      email: z.email(),
      token: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/),
      expiresMinutes: z.number().int().min(1).max(10_000),
    })
    .strict(),
  test: z.object({}).strict(),
} satisfies Record<MailKind, z.ZodType>;

export const MailSendReq = z
  .object({
    kind: MailKind,
    to: z.email(),
    language: Language,
    /** Per-kind template values, checked against MailDataByKind here, at the boundary. */
    data: z.record(z.string(), z.union([z.string(), z.number()])),
    /** Same key twice => one mail (BullMQ job id and MailLog primary key). */
    idempotencyKey: z.string().min(1).max(200),
  })
  .strict()
  .superRefine((req, ctx) => {
    const result = MailDataByKind[req.kind].safeParse(req.data);
    for (const issue of result.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', path: ['data', ...issue.path.map(String)], message: issue.message });
  });
export const MailSendRes = z.object({ queued: z.boolean() });

export const MailerTestSendReq = z.object({ actor: Actor, to: z.email(), language: Language }).strict();
/** How far a test mail got; the SMTP server's own text goes to the mailer's log, never into the answer. */
export const TestMailFailure = z.enum(['not_configured', 'address_not_allowed', 'connection', 'tls', 'authentication', 'rejected']);
export const MailerTestSendRes = z.union([
  /** `response`: the SMTP reply code and "accepted", e.g. "250 accepted". */
  z.object({ ok: z.literal(true), response: z.string() }),
  z.object({ ok: z.literal(false), code: z.literal('mail_failed'), reason: TestMailFailure, message: z.string() }),
]);

export const mailerContract = {
  [MailerSubjects.health]: request(HealthPingReq, HealthPingRes),
  [MailerSubjects.configGet]: request(MailerConfigGetReq, MailerConfigGetRes),
  [MailerSubjects.configSet]: request(MailerConfigSetReq, MailerConfigSetRes),
  [MailerSubjects.mailSend]: request(MailSendReq, MailSendRes),
  [MailerSubjects.testSend]: request(MailerTestSendReq, MailerTestSendRes),
};
