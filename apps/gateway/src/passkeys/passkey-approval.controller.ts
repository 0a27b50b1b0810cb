import { Controller, Req } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import { PasskeySubjects } from '@gatehouse/contracts';
import { clientAddress } from '../auth/client-address';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** Accepting a new device with a passkey and user verification (policy `approvalRequiresPasskey`). */
@Controller()
export class PasskeyApprovalController {
  constructor(private readonly nats: NatsClient) {}

  @Route('POST /me/approvals/passkey/options')
  options(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(PasskeySubjects.approveOptions, { userId: fromSession(principal).userId });
  }

  @Route('POST /me/approvals/:pendingId/passkey')
  accept(
    @CurrentPrincipal() principal: Principal,
    @Input() { params, body }: Input<'POST /me/approvals/:pendingId/passkey'>,
    @Req() request: FastifyRequest,
  ) {
    const { pendingId } = params;
    const { userId, sessionId } = fromSession(principal);
    return this.nats.send(PasskeySubjects.approve, {
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
