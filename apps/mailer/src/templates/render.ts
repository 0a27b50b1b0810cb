import { Language, MailKind, Languages } from '@gatehouse/contracts';
import { escapeHtml } from '@gatehouse/platform';
import { MailTexts, TEXTS } from './texts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Data = Record<string, string | number>;

const fill = (template: string, data: Data): string => template.replace(/\{(\w+)\}/g, (_, key: string) => String(data[key] ?? ''));

/** Links come only from the configured verification link (the public base incl. /api/v1), never from a request. */
export const linkFor = (verificationLink: string, path: string): string => `${verificationLink.replace(/\/+$/, '')}${path}`;

/** A mail as paragraphs and links; the same blocks make the plain text and the HTML part. */
type Block = { p: string } | { link: string; label: string } | { facts: Array<[string, string]> } | { code: string };

function blocksOf(kind: MailKind, t: MailTexts, data: Data, verificationLink: string): { subject: string; blocks: Block[] } {
  const hello: Block = { p: fill(t.hello, data) };
  const facts = (): Block => ({
    facts: [
      [t.device, String(data.device)],
      [t.address, String(data.ip)],
      [t.time, String(data.time)],
    ],
  });
  switch (kind) {
    case 'approvalRequest': {
      const page = linkFor(verificationLink, `/approvals/email/${encodeURIComponent(String(data.token))}`);
      return {
        subject: t.approvalSubject,
        blocks: [
          hello,
          { p: t.approvalIntro },
          facts(),
          { code: String(data.securityCode) },
          { p: fill(t.approvalCode, data) },
          { p: t.approvalAction },
          { link: `${page}?decision=accept`, label: t.approvalAccept },
          { link: `${page}?decision=reject`, label: t.approvalReject },
          { p: t.approvalAdvice },
        ],
      };
    }
    case 'passwordReset':
      return {
        subject: t.resetSubject,
        blocks: [
          hello,
          { p: t.resetIntro },
          { p: t.resetAction },
          { link: linkFor(verificationLink, `/auth/password-reset/${encodeURIComponent(String(data.token))}`), label: t.resetSubject },
          { p: fill(t.resetExpiry, data) },
          { p: t.resetIgnore },
        ],
      };
    case 'passwordChanged':
      return {
        subject: t.changedSubject,
        blocks: [
          hello,
          { p: t.changedIntro },
          {
            facts: [
              [t.address, String(data.ip)],
              [t.time, String(data.time)],
            ],
          },
          { p: t.changedAdvice },
        ],
      };
    case 'newDevice':
      return {
        subject: t.newDeviceSubject,
        blocks: [
          hello,
          { p: t.newDeviceIntro },
          facts(),
          { p: t.newDeviceReview },
          { link: new URL('/#/security', verificationLink).toString(), label: t.newDeviceSubject },
        ],
      };
    case 'emailConfirm':
      return {
        subject: t.emailSubject,
        blocks: [
          hello,
          { p: fill(t.emailIntro, data) },
          // The web client's page (views/email-confirm.ts), in the user's language; it confirms by POST /account/email/:token.
          {
            link: new URL(`/#/account/email/${encodeURIComponent(String(data.token))}`, verificationLink).toString(),
            label: t.emailSubject,
          },
          { p: t.emailIgnore },
        ],
      };
    case 'test':
      return { subject: t.testSubject, blocks: [{ p: t.testBody }] };
  }
}

const textOf = (block: Block): string =>
  'p' in block
    ? block.p
    : 'code' in block
      ? `    ${block.code}`
      : 'link' in block
        ? `${block.label}: ${block.link}`
        : block.facts.map(([k, v]) => `${k}: ${v}`).join('\n');

const htmlOf = (block: Block): string =>
  'p' in block
    ? `<p>${escapeHtml(block.p)}</p>`
    : 'code' in block
      ? `<p style="font:700 24px monospace;letter-spacing:4px">${escapeHtml(block.code)}</p>`
      : 'link' in block
        ? `<p><a href="${escapeHtml(block.link)}">${escapeHtml(block.label)}</a></p>`
        : `<table>${block.facts.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;

/** The mail in the user's language (English when unknown): plain text and HTML with every value escaped. */
export function renderMail(kind: MailKind, language: string, data: Data, verificationLink: string): RenderedMail {
  const texts = TEXTS[(Languages as readonly string[]).includes(language) ? (language as Language) : 'en'];
  const { subject, blocks } = blocksOf(kind, texts, data, verificationLink);
  return {
    subject,
    text: blocks.map(textOf).join('\n\n'),
    html: `<!doctype html><html><body style="font-family:sans-serif">${blocks.map(htmlOf).join('')}</body></html>`,
  };
}
