import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyBody, ApiKeyIdParam } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { ZodPipe } from '../http/zod.pipe';
import { AccessGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiZodBody } from '../http/api-zod-body';

/**
 * Seed 002 API keys: non-interactive, the user's permissions, shown once, expiring (90 days unless
 * asked otherwise, at most 365). Made only from a signed-in session, so a stolen key cannot mint
 * keys that outlive it.
 */
@ApiTags('api-keys')
@Controller('me/api-keys')
@UseGuards(AccessGuard)
export class ApiKeysController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('auth.api-key.list', { userId: principal.userId });
  }

  @Post()
  @ApiZodBody(ApiKeyBody)
  create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(ApiKeyBody)) body: z.infer<typeof ApiKeyBody>) {
    if (principal.external) throw new AppError('forbidden', 'External users cannot make API keys');
    if (!principal.sessionId)
      throw new AppError('interactive_session_required', 'API keys are made from a signed-in session, not with an API key');
    return this.nats.send('auth.api-key.create', {
      userId: principal.userId,
      sessionId: principal.sessionId,
      name: body.name,
      expiresInDays: body.expiresInDays,
    });
  }

  @Delete(':id')
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ZodPipe(ApiKeyIdParam)) apiKeyId: string) {
    const { revoked } = await this.nats.send('auth.api-key.revoke', {
      userId: principal.userId,
      apiKeyId,
      ...(principal.apiKeyId ? { viaApiKeyId: principal.apiKeyId } : {}),
    });
    if (!revoked) throw new AppError('not_found', 'No such API key');
    return { revoked: true };
  }
}
