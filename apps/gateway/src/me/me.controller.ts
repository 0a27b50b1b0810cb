import { Controller } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects, AppsSubjects, ClientSettingsSubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** The user's own data (DESIGN.md): profile, the apps they may run, API providers, app login, client settings. */
@Controller()
export class MeController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me')
  async profile(@CurrentPrincipal() principal: Principal) {
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: principal.userId }, { retries: 1 });
    if (!user) throw new AppError('not_found', 'No such user');
    return { ...user, sipUri: `sip:${user.username}@${user.domain}` };
  }

  /** "All apps": what the user may run; hidden apps are left out, phone apps appear through their devices. */
  @Route('GET /me/apps')
  apps(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(AppsSubjects.userAppsList, { userId: principal.userId }, { retries: 1 });
  }

  @Route('GET /me/api-providers/:api')
  providers(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /me/api-providers/:api'>) {
    return this.nats.send(AppsSubjects.apiProvidersList, { userId: principal.userId, api: params.api }, { retries: 1 });
  }

  /** The digest the app's backend verifies with its shared secret (README "App login"). */
  @Route('POST /me/apps/:appId/login')
  login(@CurrentPrincipal() principal: Principal, @Input() { params, body }: Input<'POST /me/apps/:appId/login'>) {
    return this.nats.send(AppsSubjects.appLogin, { userId: principal.userId, appId: params.appId, challenge: body.challenge });
  }

  /** myApps settings the admin deployed for the user's domain. */
  @Route('GET /me/client-config')
  clientConfig(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(ClientSettingsSubjects.clientConfigGet, { userId: principal.userId }, { retries: 1 });
  }
}
