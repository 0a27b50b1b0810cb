import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApprovalDecisionBody, PendingIdParam } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AccessGuard } from '../auth/access.guard';
import { clientAddress } from '../auth/client-address';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/** New logins of the user waiting for approval, answered from a signed-in device. */
@ApiTags('approvals')
@Controller('me/approvals')
@UseGuards(AccessGuard)
export class MyApprovalsController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('auth.approval.list', { userId: principal.userId });
  }

  @Post(':pendingId')
  @HttpCode(200)
  @ApiZodBody(ApprovalDecisionBody)
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('pendingId', new ZodPipe(PendingIdParam)) pendingId: string,
    @Body(new ZodPipe(ApprovalDecisionBody)) body: z.infer<typeof ApprovalDecisionBody>,
    @Req() request: FastifyRequest,
  ) {
    // Approval comes from a device that is signed in, not from an API key.
    if (!principal.sessionId) throw new AppError('forbidden', 'Approve from a signed-in device');
    return this.nats.send('auth.approval.decide', {
      userId: principal.userId,
      sessionId: principal.sessionId,
      pendingId,
      decision: body.decision,
      ...(body.code ? { code: body.code } : {}),
      ip: clientAddress(request),
    });
  }
}
