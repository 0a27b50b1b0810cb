import { Injectable } from '@nestjs/common';
import { SmtpConfigInput, SmtpConfigView } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { Clock } from '@gatehouse/platform';
import { createTransport, Transporter } from 'nodemailer';
import { DEFAULT_DOMAIN, SmtpAccount, SmtpConfigRepository } from './smtp-config.repository';

@Injectable()
export class SmtpConfigService {
  constructor(
    private readonly repository: SmtpConfigRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<SmtpConfigView | null> {
    const account = await this.repository.find();
    return account ? toView(account) : null;
  }

  async set(input: SmtpConfigInput): Promise<SmtpConfigView> {
    const current = await this.repository.find();
    // Omitted password keeps the stored one, so an admin can edit the host without retyping it.
    const passwordEncrypted =
      input.password === undefined ? (current?.passwordEncrypted ?? null) : input.password === '' ? null : this.box.seal(input.password);
    const saved = await this.repository.save({
      domain: DEFAULT_DOMAIN,
      host: input.host,
      port: input.port,
      secure: input.secure,
      clientHostName: input.clientHostName,
      senderName: input.senderName,
      address: input.address,
      username: input.username === '' ? null : input.username,
      passwordEncrypted,
      verificationLink: input.verificationLink,
      updatedAt: this.clock.now(),
    });
    return toView(saved);
  }

  /** A nodemailer transport from the stored account, or null while none is configured. */
  async transport(): Promise<{ transporter: Transporter; from: string; account: SmtpAccount } | null> {
    const account = await this.repository.find();
    if (!account) return null;
    const password = account.passwordEncrypted ? this.box.open(account.passwordEncrypted) : '';
    const transporter = createTransport({
      host: account.host,
      port: account.port,
      secure: account.secure,
      name: account.clientHostName,
      auth: account.username ? { user: account.username, pass: password } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return { transporter, from: formatFrom(account), account };
  }
}

const formatFrom = (a: SmtpAccount): string =>
  a.senderName ? `"${a.senderName.replace(/["\\\r\n]/g, '')}" <${a.address}>` : a.address;

const toView = (a: SmtpAccount): SmtpConfigView => ({
  host: a.host,
  port: a.port,
  secure: a.secure,
  clientHostName: a.clientHostName,
  senderName: a.senderName,
  address: a.address,
  username: a.username ?? '',
  passwordSet: a.passwordEncrypted !== null,
  verificationLink: a.verificationLink,
});
