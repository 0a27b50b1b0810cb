import { Inject, Injectable } from '@nestjs/common';
import { ActiveLoginRes, AuthSettings, ParsedRequestOf, principalOf, User, SessionsSubjects, MailerSubjects } from '@gatehouse/contracts';
import { Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { AuthSettingsService } from '../settings/auth-settings.service';

/** What a decided login carries to its session: the device, the kind of session, the sub-id and the client address. */
export type LoginRequest = Pick<ParsedRequestOf<'auth.login.password'>, 'device' | 'application' | 'subid' | 'ip'>;

/**
 * Turns a decided login (password, federated, or approved) into a permanent session, and tells the
 * user by email that a new device is active (a setting, on by default).
 */
@Injectable()
export class SessionStarter {
  constructor(
    private readonly nats: NatsClient,
    private readonly settings: AuthSettingsService,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `settings`: the policy the login was decided under, when the caller has it already. */
  async start(user: User, req: LoginRequest, settings?: AuthSettings): Promise<ActiveLoginRes> {
    const created = await this.nats.send(SessionsSubjects.create, {
      ...principalOf(user),
      device: req.device,
      application: req.application,
      ...(req.subid ? { subid: req.subid } : {}),
      ip: req.ip,
    });
    await this.noticeNewDevice(user, req, created.session.id, settings);
    return { status: 'active', session: created.session, accessToken: created.accessToken, expiresAt: created.expiresAt, user };
  }

  /** Queued, not sent here: a mailer that is down delays the notice, never the login. */
  private async noticeNewDevice(user: User, req: LoginRequest, sessionId: string, settings?: AuthSettings): Promise<void> {
    if (!user.email || user.external || !(settings ?? (await this.settings.get())).newDeviceNotice) return;
    await this.nats
      .send(MailerSubjects.mailSend, {
        kind: 'newDevice',
        to: user.email,
        language: user.language,
        data: {
          displayName: user.displayName || user.username,
          device: `${req.device.name} (${req.device.platform})`,
          ip: req.ip,
          time: this.clock.now().toISOString(),
        },
        idempotencyKey: `new-device:${sessionId}`,
      })
      .catch((error: unknown) => this.logger.warn({ err: error, userId: user.id }, 'new-device notice not queued'));
  }
}
