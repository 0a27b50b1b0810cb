import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiName, AppId, AppLoginBody } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import { AccessGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/** The user's own data (DESIGN.md): profile, the apps they may run, API providers, app login, client settings. */
@ApiTags('me')
@Controller('me')
@UseGuards(AccessGuard)
export class MeController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  async profile(@CurrentPrincipal() principal: Principal) {
    const { user } = await this.nats.send('directory.user.get', { userId: principal.userId }, { retries: 1 });
    if (!user) throw new AppError('not_found', 'No such user');
    return { ...user, sipUri: `sip:${user.username}@${user.domain}` };
  }

  /** "All apps": what the user may run; hidden apps are left out, phone apps appear through their devices. */
  @Get('apps')
  apps(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('directory.user-apps.list', { userId: principal.userId }, { retries: 1 });
  }

  @Get('api-providers/:api')
  providers(@CurrentPrincipal() principal: Principal, @Param('api', new ZodPipe(ApiName)) api: string) {
    return this.nats.send('directory.api-providers.list', { userId: principal.userId, api }, { retries: 1 });
  }

  /** The digest the app's backend verifies with its shared secret (README "App login"). */
  @Post('apps/:appId/login')
  @ApiZodBody(AppLoginBody)
  @HttpCode(200)
  login(
    @CurrentPrincipal() principal: Principal,
    @Param('appId', new ZodPipe(AppId)) appId: string,
    @Body(new ZodPipe(AppLoginBody)) body: z.infer<typeof AppLoginBody>,
  ) {
    return this.nats.send('directory.app.login', { userId: principal.userId, appId, challenge: body.challenge });
  }

  /** myApps settings the admin deployed for the user's domain. */
  @Get('client-config')
  clientConfig(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('directory.client-config.get', { userId: principal.userId }, { retries: 1 });
  }
}
