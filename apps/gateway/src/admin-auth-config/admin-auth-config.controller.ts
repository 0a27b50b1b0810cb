import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthConfigBody } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/**
 * `/admin/config/authentication`: the auth policy (kept by `auth`) and the Netlogon/OIDC settings
 * (kept by `federation`) as one document. Federation is written first: an unreachable issuer or a
 * malformed LDAP URL is refused before the policy starts to rely on it.
 */
@ApiTags('admin')
@Controller('admin/config/authentication')
@UseGuards(AccessGuard, AdminGuard)
export class AdminAuthConfigController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  async get() {
    const [{ settings }, federation] = await Promise.all([this.nats.send('auth.settings.get', {}), this.nats.send('federation.config.get', {})]);
    return { ...settings, ...federation.settings };
  }

  @Put()
  @ApiZodBody(AuthConfigBody)
  async set(@Body(new ZodPipe(AuthConfigBody)) body: AuthConfigBody) {
    const { netlogon, oidc, ...policy } = body;
    const federation = netlogon || oidc ? await this.nats.send('federation.config.set', { ...(netlogon ? { netlogon } : {}), ...(oidc ? { oidc } : {}) }, { timeoutMs: 15_000 }) : await this.nats.send('federation.config.get', {});
    if (policy.type) this.assertConfigured(policy.type, federation.settings);
    const { settings } = await this.nats.send('auth.settings.set', policy);
    return { ...settings, ...federation.settings };
  }

  /** A type that needs a domain controller or an issuer is refused until one is configured. */
  private assertConfigured(type: string, federation: { netlogon: { url: string | null }; oidc: { issuer: string | null; clientId: string | null } }): void {
    if (type.includes('netlogon') && !federation.netlogon.url) {
      throw new AppError('validation_failed', 'type netlogon needs a Netlogon domain controller (netlogon.url)', { field: 'type' });
    }
    if (type.includes('oauth2') && (!federation.oidc.issuer || !federation.oidc.clientId)) {
      throw new AppError('validation_failed', 'type oauth2 needs an OpenID Connect issuer and client (oidc.issuer, oidc.clientId)', { field: 'type' });
    }
  }
}
