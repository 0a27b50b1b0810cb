import { Injectable } from '@nestjs/common';
import { LoginRes, ParsedRequestOf, ReplyOf, allows, DirectorySubjects, FederationSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { LoginCompletion } from './login-completion.service';

/** Federation's wait for the provider's token endpoint and keys. */
const FEDERATION_TIMEOUT_MS = 15_000;

/** The provider sent the browser back: `federation` proves the identity and finds the user; auth decides by policy what follows. */
@Injectable()
export class OAuth2LoginService {
  constructor(
    private readonly nats: NatsClient,
    private readonly settings: AuthSettingsService,
    private readonly audit: AuditService,
    private readonly completion: LoginCompletion,
  ) {}

  async login({ query, ...req }: ParsedRequestOf<'auth.login.oauth2'>): Promise<ReplyOf<'auth.login.oauth2'>> {
    const identity = await this.nats.send(FederationSubjects.oauth2Callback, { query }, { timeoutMs: FEDERATION_TIMEOUT_MS });
    if (!identity.userId) throw new AppError('identity_not_mapped', 'no user for this identity');
    return { login: await this.complete(identity.userId, req), returnTo: identity.returnTo };
  }

  private async complete(userId: string, req: Omit<ParsedRequestOf<'auth.login.oauth2'>, 'query'>): Promise<LoginRes> {
    const settings = await this.settings.get();
    if (!allows(settings.type).oauth2) throw new AppError('auth_type_disabled', 'OAuth2 login is not enabled');
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
    if (!user) throw new AppError('identity_not_mapped', 'The linked user no longer exists');
    await this.audit.record({
      type: 'login',
      outcome: 'success',
      userId: user.id,
      login: user.username,
      ip: req.ip,
      details: { method: 'oauth2' },
    });
    return this.completion.complete(user, req, 'oauth2', settings);
  }
}
