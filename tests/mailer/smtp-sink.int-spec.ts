import { createTransport } from 'nodemailer';
import { SmtpSink } from '@gatehouse/testing';

describe('SmtpSink', () => {
  let sut: SmtpSink;
  afterEach(() => sut?.stop());

  const send = (port: number, auth?: { user: string; pass: string }) =>
    createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'gatehouse.test', auth }).sendMail({
      from: 'Gatehouse <noreply@example.test>',
      to: 'alice@example.test',
      subject: 'Hello',
      text: 'plain part',
      html: '<p>html part</p>',
    });

  it('stores a received message with its text and html parts and the EHLO name', async () => {
    sut = await SmtpSink.start();
    await send(sut.port);
    expect(sut.messagesTo('alice@example.test')).toEqual([
      expect.objectContaining({ subject: 'Hello', text: 'plain part', html: '<p>html part</p>', clientHostname: 'gatehouse.test' }),
    ]);
  });

  it('refuses connections while stopped and accepts them again on the same port after start', async () => {
    sut = await SmtpSink.start();
    await sut.stop();
    await expect(send(sut.port)).rejects.toThrow();
    await sut.start();
    await send(sut.port);
    expect(sut.messages).toHaveLength(1);
  });

  it('rejects a wrong password with 535 when authentication is required', async () => {
    sut = await SmtpSink.start({ auth: { username: 'mailer', password: 'right' } });
    await expect(send(sut.port, { user: 'mailer', pass: 'wrong' })).rejects.toMatchObject({ responseCode: 535 });
    await send(sut.port, { user: 'mailer', pass: 'right' });
    expect(sut.messages).toHaveLength(1);
  });
});
