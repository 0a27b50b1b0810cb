import { Languages, MailKind } from '@gatehouse/contracts';
import { renderMail } from './render';
import { TEXTS } from './texts';

const LINK = 'https://gatehouse.example.com/api/v1/';
const DATA: Record<MailKind, Record<string, string | number>> = {
  approvalRequest: {
    displayName: 'Ann <b>',
    device: 'Laptop (linux)',
    ip: '192.0.2.7',
    time: '2026-11-24T01:00:00.000Z',
    securityCode: '493817',
    token: 'tok_EN-123456789abcdef',
  },
  passwordReset: { displayName: 'Ann', token: 'reset_TOKEN-123456789abc', expiresMinutes: 60 },
  passwordChanged: { displayName: 'Ann', time: '2026-11-24T01:00:00.000Z', ip: '192.0.2.7' },
  newDevice: { displayName: 'Ann', device: 'Phone (ios)', ip: '192.0.2.8', time: '2026-11-24T01:00:00.000Z' },
  emailConfirm: { displayName: 'Ann', email: 'ann.new@example.com', token: 'email_TOKEN-123456789abc', expiresMinutes: 1440 },
  test: {},
};

describe('renderMail', () => {
  it.each(Languages.flatMap((language) => MailKind.options.map((kind) => [language, kind] as const)))(
    'renders %s %s with every placeholder filled',
    (language, kind) => {
      const sut = renderMail(kind, language, DATA[kind], LINK);
      for (const part of [sut.subject, sut.text, sut.html]) {
        expect(part).not.toMatch(/\{\w+\}|undefined|null/);
        expect(part.length).toBeGreaterThan(5);
      }
    },
  );

  it('uses each language’s own words and falls back to English', () => {
    expect(renderMail('approvalRequest', 'de', DATA.approvalRequest, LINK).subject).toBe(TEXTS.de.approvalSubject);
    expect(renderMail('approvalRequest', 'xx', DATA.approvalRequest, LINK).subject).toBe(TEXTS.en.approvalSubject);
    expect(new Set(Languages.map((language) => TEXTS[language].approvalSubject)).size).toBe(Languages.length);
  });

  it('builds links from the verification link only and escapes values in HTML', () => {
    const approval = renderMail('approvalRequest', 'en', DATA.approvalRequest, LINK);
    expect(approval.text).toContain('https://gatehouse.example.com/api/v1/approvals/email/tok_EN-123456789abcdef?decision=accept');
    expect(approval.text).toContain('493817');
    expect(approval.html).toContain('Ann &lt;b&gt;');
    expect(approval.html).not.toContain('Ann <b>');
    expect(renderMail('passwordReset', 'en', DATA.passwordReset, LINK).text).toContain(
      'https://gatehouse.example.com/api/v1/auth/password-reset/reset_TOKEN-123456789abc',
    );
    expect(renderMail('newDevice', 'en', DATA.newDevice, LINK).text).toContain('https://gatehouse.example.com/#/security');
  });
});
