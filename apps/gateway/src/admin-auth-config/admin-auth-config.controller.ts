import { Body, Controller, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthConfigBody, NetlogonTestBody } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/**
 * `/admin/config/authentication`: the auth policy (kept by `auth`) and the Netlogon/OIDC settings
 * (kept by `federation`) as one document. Federation is written first: an unreachable issuer or a
 * malformed LDAP URL is refused before the policy starts to rely on it. Both services refuse
 * domain administrators themselves (installation-wide settings); the gateway passes the actor on.
 */
@ApiTags('admin')
@Controller('admin/config/authentication')
@UseGuards(AccessGuard, AdminGuard)
export class AdminAuthConfigController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  async get(@CurrentPrincipal() principal: Principal) {
    const actor = adminActor(principal);
    const [{ settings }, federation] = await Promise.all([
      this.nats.send('auth.settings.get', { actor }),
      this.nats.send('federation.config.get', { actor }),
    ]);
    return { ...settings, ...federation.settings };
  }

  @Put()
  @ApiZodBody(AuthConfigBody)
  async set(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(AuthConfigBody)) body: AuthConfigBody) {
    const actor = adminActor(principal);
    const { netlogon, oidc, ...policy } = body;
    const change = {
      ...(netlogon ? { netlogon: withoutReadOnly(netlogon, 'servicePasswordSet') } : {}),
      ...(oidc ? { oidc: withoutReadOnly(oidc, 'clientSecretSet') } : {}),
    };
    const federation =
      netlogon || oidc
        ? await this.nats.send('federation.config.set', { actor, ...change }, { timeoutMs: 15_000 })
        : await this.nats.send('federation.config.get', { actor });
    if (policy.type) this.assertConfigured(policy.type, federation.settings);
    const { settings } = await this.nats.send('auth.settings.set', { actor, ...policy });
    return { ...settings, ...federation.settings };
  }

  /** Binds one Windows account with the saved Netlogon settings and says what the domain controller answered; signs nobody in. */
  @Post('netlogon/test')
  @HttpCode(200)
  @ApiZodBody(NetlogonTestBody)
  async testNetlogon(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(NetlogonTestBody)) body: NetlogonTestBody) {
    return this.nats.send('federation.netlogon.test', { actor: adminActor(principal), ...body }, { timeoutMs: 30_000 });
  }

  /** A type that needs a domain controller or an issuer is refused until one is configured. */
  private assertConfigured(
    type: string,
    federation: { netlogon: { url: string | null }; oidc: { issuer: string | null; clientId: string | null } },
  ): void {
    if (type.includes('netlogon') && !federation.netlogon.url) {
      throw new AppError('validation_failed', 'type netlogon needs a Netlogon domain controller (netlogon.url)', { field: 'type' });
    }
    if (type.includes('oauth2') && (!federation.oidc.issuer || !federation.oidc.clientId)) {
      throw new AppError('validation_failed', 'type oauth2 needs an OpenID Connect issuer and client (oidc.issuer, oidc.clientId)', {
        field: 'type',
      });
    }
  }
}

/** The GET answer's read-only flags may come back in a PUT; they are not settings, so they stop here. */
function withoutReadOnly<T extends object, K extends keyof T>(section: T, key: K): Omit<T, K> {
  const { [key]: _readOnly, ...rest } = section;
  return rest;
}
