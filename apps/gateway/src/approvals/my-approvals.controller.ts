import { Controller, Req } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import { ApprovalSubjects } from '@gatehouse/contracts';
import { clientAddress } from '../auth/client-address';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** New logins of the user waiting for approval, answered from a signed-in device. */
@Controller()
export class MyApprovalsController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me/approvals')
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(ApprovalSubjects.list, { userId: principal.userId });
  }

  @Route('POST /me/approvals/:pendingId')
  decide(
    @CurrentPrincipal() principal: Principal,
    @Input() { params, body }: Input<'POST /me/approvals/:pendingId'>,
    @Req() request: FastifyRequest,
  ) {
    const { pendingId } = params;
    // Approval comes from a device that is signed in, not from an API key.
    if (!principal.sessionId) throw new AppError('forbidden', 'Approve from a signed-in device');
    return this.nats.send(ApprovalSubjects.decide, {
      userId: principal.userId,
      sessionId: principal.sessionId,
      pendingId,
      decision: body.decision,
      ...(body.code ? { code: body.code } : {}),
      ip: clientAddress(request),
    });
  }
}
