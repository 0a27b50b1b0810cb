import { MailKind } from '@gatehouse/contracts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

// TODO(issue 5): per-kind templates in all 11 seed languages; until then every language falls back to en.
const SUBJECTS: Record<MailKind, string> = {
  approvalRequest: 'Approve a new sign-in',
  passwordReset: 'Reset your password',
  passwordChanged: 'Your password was changed',
  newDevice: 'New sign-in on your account',
  test: 'Gatehouse test mail',
};

/** Plain text and HTML parts; every interpolated value is HTML-escaped in the HTML part. */
export function renderMail(kind: MailKind, _language: string, data: Record<string, string | number>): RenderedMail {
  const lines = Object.entries(data).map(([key, value]) => [key, String(value)] as const);
  return {
    subject: SUBJECTS[kind],
    text: [SUBJECTS[kind], '', ...lines.map(([k, v]) => `${k}: ${v}`)].join('\n'),
    html: `<h1>${escapeHtml(SUBJECTS[kind])}</h1><ul>${lines.map(([k, v]) => `<li>${escapeHtml(k)}: ${escapeHtml(v)}</li>`).join('')}</ul>`,
  };
}
