import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMail } from './mail-sender';

const mail = (from: string, to: string) => ({ from, to, subject: 'Grüße', text: 'Hello Ann,\n\nA new device.', html: '<p>Hello Ann,</p>' });

/** What sendMail does with a prebuilt mail: a composer over the raw message and the given envelope. */
const asSendMailTakesIt = (composed: Awaited<ReturnType<typeof composeMail>>) =>
  new MailComposer({ raw: composed.raw, envelope: composed.envelope, messageId: composed.messageId }).compile();

describe('composeMail', () => {
  it('gives sendMail the envelope nodemailer itself takes from From and To, IDN domains as punycode', async () => {
    for (const [from, to] of [
      ['"Gatehouse" <noreply@gatehouse.test>', 'ann@example.test'],
      ['"Gate, house" <noreply@bücher.example>', 'Ann <ann@müller.example>'],
      ['noreply@gatehouse.test', 'ann@example.test'],
    ] as const) {
      const composed = await composeMail(mail(from, to));

      expect(asSendMailTakesIt(composed).getEnvelope()).toEqual(new MailComposer(mail(from, to)).compile().getEnvelope());
    }
  });

  it('writes the Message-ID it returns, at the sender domain nodemailer would use, and a new one for every mail', async () => {
    const from = '"Gatehouse" <noreply@bücher.example>';
    const nodemailers = new MailComposer(mail(from, 'ann@example.test')).compile().messageId();
    const first = await composeMail(mail(from, 'ann@example.test'));
    const second = await composeMail(mail(from, 'bob@example.test'));
    const other = await composeMail(mail('noreply@gatehouse.test', 'ann@example.test'));

    expect(first.messageId).toMatch(/^<[0-9a-f-]{36}@xn--bcher-kva\.example>$/);
    expect(first.messageId.split('@')[1]).toBe(nodemailers.split('@')[1]);
    expect(first.raw.toString()).toContain(`\r\nMessage-ID: ${first.messageId}\r\n`);
    expect(asSendMailTakesIt(first).messageId()).toBe(first.messageId);
    expect(second.messageId).not.toBe(first.messageId);
    expect(other.messageId).toMatch(/@gatehouse\.test>$/);
  });

  it('separates the parts with a boundary of its own for every mail', async () => {
    const boundaryOf = (raw: Buffer) => /boundary="([^"]+)"/.exec(raw.toString())![1]!;
    const first = await composeMail(mail('noreply@gatehouse.test', 'ann@example.test'));
    const second = await composeMail(mail('noreply@gatehouse.test', 'ann@example.test'));

    expect(boundaryOf(first.raw)).not.toBe(boundaryOf(second.raw));
    expect(first.raw.toString()).toContain(`\r\n--${boundaryOf(first.raw)}\r\nContent-Type: text/plain`);
    expect(first.raw.toString()).toContain(`\r\n--${boundaryOf(first.raw)}--\r\n`);
  });
});
