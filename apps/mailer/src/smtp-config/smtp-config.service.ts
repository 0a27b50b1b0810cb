import { isIP } from 'node:net';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { SmtpConfigInput, SmtpConfigView } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, LOGGER, Logger, OutboundPolicy, OutboundRefusedError } from '@gatehouse/platform';
import { createTransport, Transporter } from 'nodemailer';
import { MailerConfig } from '../config';
import { MAILER_CONFIG } from '../tokens';
import { DEFAULT_DOMAIN, SmtpAccount, SmtpConfigRepository } from './smtp-config.repository';

/** A transport in use: the pooled one of the queue, or a one-off (the test mail). */
export interface SmtpTransport {
  transporter: Transporter;
  from: string;
  account: SmtpAccount;
}

/**
 * How long the queue's mails use one read of the SMTP account: a change saved on another replica (or in
 * the database) reaches this replica's mails within this time.
 */
const ACCOUNT_RECHECK_MS = 1000;

@Injectable()
export class SmtpConfigService implements OnApplicationShutdown {
  /** The queue's pooled transport, for one account version and one checked address. */
  private pooled: { key: string; transport: SmtpTransport } | null = null;
  /** The last read of the account for the pool, shared by the mails sent until it is older than ACCOUNT_RECHECK_MS. */
  private checked: { at: number; pending: Promise<SmtpTransport | null> } | null = null;

  constructor(
    private readonly repository: SmtpConfigRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly outbound: OutboundPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MAILER_CONFIG) private readonly config: MailerConfig,
  ) {}

  async get(): Promise<SmtpConfigView | null> {
    const account = await this.repository.find();
    return account ? toView(account) : null;
  }

  async set(input: SmtpConfigInput): Promise<SmtpConfigView> {
    await this.checkHost(input.host);
    const current = await this.repository.find();
    // Omitted password keeps the stored one, so an admin can edit the host without retyping it.
    const passwordEncrypted =
      input.password === undefined ? (current?.passwordEncrypted ?? null) : input.password === '' ? null : this.box.seal(input.password);
    const saved = await this.repository.save({
      domain: DEFAULT_DOMAIN,
      host: input.host,
      port: input.port,
      secure: input.secure,
      clientHostName: input.clientHostName ?? '',
      senderName: input.senderName,
      address: input.address,
      username: input.username === '' ? null : input.username,
      passwordEncrypted,
      verificationLink: input.verificationLink,
      updatedAt: this.clock.now(),
    });
    this.checked = null; // the next mail uses the new account
    return toView(saved);
  }

  /** A host on a disallowed address is refused when saved; a name that does not resolve yet is checked at each connection. */
  private async checkHost(host: string): Promise<void> {
    try {
      await this.outbound.resolve(host);
    } catch (error) {
      if (!(error instanceof OutboundRefusedError)) return;
      this.logger.warn({ event: 'mailer.smtp_host_refused', host, address: error.address }, error.message);
      throw new AppError(
        'outbound_not_allowed',
        'The SMTP host is on a loopback, link-local or private address, which this installation does not allow',
        { field: 'host' },
      );
    }
  }

  /**
   * A nodemailer transport from the stored account, or null while none is configured. The host is
   * resolved and checked here and the connection goes to that checked address (the name stays the
   * TLS server name), so a DNS answer that changed since saving cannot lead to an internal address.
   * Throws OutboundRefusedError for a disallowed address.
   */
  async transport(timeoutMs = 10_000): Promise<SmtpTransport | null> {
    const account = await this.repository.find();
    if (!account) return null;
    const [address] = await this.outbound.resolve(account.host);
    return { transporter: this.createTransporter(account, address!.address, timeoutMs, false), from: formatFrom(account), account };
  }

  /**
   * The queue's transport: one pool of SMTP connections reused from mail to mail (a connection per mail
   * cost the handshake, TLS and AUTH each time). The account is read and its resolved address checked as
   * `transport()` does, at most once per ACCOUNT_RECHECK_MS for all the mails sent meanwhile (it was a
   * query per mail); a changed account or address replaces the pool. A save on this replica and a failed
   * mail read it again at once.
   */
  pooledTransport(): Promise<SmtpTransport | null> {
    const now = performance.now();
    if (!this.checked || now - this.checked.at > ACCOUNT_RECHECK_MS) {
      const pending = this.currentPool();
      this.checked = { at: now, pending };
      // A failed read or a refused address is not kept: the next mail tries again.
      pending.catch(() => {
        if (this.checked?.pending === pending) this.checked = null;
      });
    }
    return this.checked.pending;
  }

  private async currentPool(): Promise<SmtpTransport | null> {
    const account = await this.repository.find();
    if (!account) {
      this.dropPool();
      return null;
    }
    const [address] = await this.outbound.resolve(account.host);
    // Every field the connection depends on (not updatedAt: two saves can share a timestamp).
    const key = JSON.stringify([
      address!.address,
      account.host,
      account.port,
      account.secure,
      account.clientHostName,
      account.verificationLink,
      account.username,
      account.passwordEncrypted,
    ]);
    if (this.pooled?.key !== key) {
      this.dropPool();
      this.pooled = {
        key,
        transport: { transporter: this.createTransporter(account, address!.address, 10_000, true), from: formatFrom(account), account },
      };
    }
    return this.pooled.transport;
  }

  /**
   * After a failed delivery the next mail reads the account again; unless the server refused this one
   * mail (its recipient or content), the pool it went through is closed too (the server may have been
   * changed or restarted). Mails in flight on a newer pool keep it.
   */
  failed(transport: SmtpTransport | null, error: unknown): void {
    this.checked = null;
    const code = (error as { code?: unknown }).code;
    if (code === 'EENVELOPE' || code === 'EMESSAGE') return;
    if (transport && this.pooled?.transport === transport) this.dropPool();
  }

  private dropPool(): void {
    this.pooled?.transport.transporter.close();
    this.pooled = null;
  }

  /** After the queue's worker closed (onModuleDestroy), so that the mails it was finishing still had their pool. */
  onApplicationShutdown(): void {
    this.dropPool();
  }

  private createTransporter(account: SmtpAccount, address: string, timeoutMs: number, pool: boolean): Transporter {
    const password = account.passwordEncrypted ? this.box.open(account.passwordEncrypted) : '';
    return createTransport({
      ...(pool ? { pool: true as const, maxConnections: this.config.MAILER_SMTP_POOL_SIZE } : {}),
      host: address,
      ...(isIP(account.host) ? {} : { servername: account.host }),
      port: account.port,
      secure: account.secure,
      name: account.clientHostName || new URL(account.verificationLink).hostname,
      auth: account.username ? { user: account.username, pass: password } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: 3 * timeoutMs,
    });
  }
}

const formatFrom = (a: SmtpAccount): string => (a.senderName ? `"${a.senderName.replace(/["\\\r\n]/g, '')}" <${a.address}>` : a.address);

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
