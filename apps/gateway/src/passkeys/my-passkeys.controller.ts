import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PasskeyIdParam, PasskeyRegisterBody } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import { AccessGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiZodBody } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';

/** The user's passkeys (Account security): add one by name, list them with creation and last use, remove one. */
@ApiTags('passkeys')
@Controller('me/passkeys')
@UseGuards(AccessGuard)
export class MyPasskeysController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('auth.passkey.list', { userId: principal.userId });
  }

  /** The options for navigator.credentials.create(); from a signed-in device only (a stolen API key cannot add a passkey). */
  @Post('options')
  @HttpCode(200)
  options(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('auth.passkey.register-options', { userId: interactive(principal).userId });
  }

  @Post()
  @ApiZodBody(PasskeyRegisterBody)
  register(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(PasskeyRegisterBody)) body: z.infer<typeof PasskeyRegisterBody>) {
    return this.nats.send('auth.passkey.register', {
      userId: interactive(principal).userId,
      flowId: body.flowId,
      name: body.name,
      response: body.response,
    });
  }

  @Delete(':id')
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', new ZodPipe(PasskeyIdParam)) passkeyId: string) {
    const { removed } = await this.nats.send('auth.passkey.remove', { userId: interactive(principal).userId, passkeyId, by: 'owner' });
    if (!removed) throw new AppError('not_found', 'No such passkey');
    return { removed: true };
  }
}

function interactive(principal: Principal): Principal {
  if (principal.external) throw new AppError('forbidden', 'External users have no passkeys');
  if (!principal.sessionId)
    throw new AppError('interactive_session_required', 'Passkeys are managed from a signed-in device, not with an API key');
  return principal;
}
