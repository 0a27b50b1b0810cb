import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PasskeyApprovalBody, PendingIdParam } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AccessGuard } from '../auth/access.guard';
import { clientAddress } from '../auth/client-address';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiZodBody } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';

/** Accepting a new device with a passkey and user verification (policy `approvalRequiresPasskey`). */
@ApiTags('approvals')
@Controller('me/approvals')
@UseGuards(AccessGuard)
export class PasskeyApprovalController {
  constructor(private readonly nats: NatsClient) {}

  @Post('passkey/options')
  @HttpCode(200)
  options(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('auth.passkey.approve-options', { userId: fromSession(principal).userId });
  }

  @Post(':pendingId/passkey')
  @HttpCode(200)
  @ApiZodBody(PasskeyApprovalBody)
  accept(
    @CurrentPrincipal() principal: Principal,
    @Param('pendingId', new ZodPipe(PendingIdParam)) pendingId: string,
    @Body(new ZodPipe(PasskeyApprovalBody)) body: z.infer<typeof PasskeyApprovalBody>,
    @Req() request: FastifyRequest,
  ) {
    const { userId, sessionId } = fromSession(principal);
    return this.nats.send('auth.passkey.approve', {
      userId,
      sessionId: sessionId!,
      pendingId,
      flowId: body.flowId,
      response: body.response,
      ...(body.code ? { code: body.code } : {}),
      ip: clientAddress(request),
    });
  }
}

function fromSession(principal: Principal): Principal {
  if (!principal.sessionId) throw new AppError('forbidden', 'Approve from a signed-in device');
  return principal;
}
