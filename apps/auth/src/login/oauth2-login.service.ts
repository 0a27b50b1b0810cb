import { Injectable } from '@nestjs/common';
import { LoginRes, ParsedRequestOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { LoginCompletion } from './login-completion.service';

/** `federation` has proven the identity and found the user; auth decides by policy what follows. */
@Injectable()
export class OAuth2LoginService {
  constructor(
    private readonly nats: NatsClient,
    private readonly settings: AuthSettingsService,
    private readonly audit: AuditService,
    private readonly completion: LoginCompletion,
  ) {}

  async login(req: ParsedRequestOf<'auth.login.oauth2'>): Promise<LoginRes> {
    const settings = await this.settings.get();
    if (!settings.type.includes('oauth2')) throw new AppError('auth_type_disabled', 'OAuth2 login is not enabled');
    const { user } = await this.nats.send('directory.user.get', { userId: req.userId });
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
