import { Controller } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { SessionsSubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** "Account security": the user's permanent sessions, and remote logout. */
@Controller()
export class MySessionsController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me/sessions')
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(SessionsSubjects.list, {
      userId: principal.userId,
      ...(principal.sessionId ? { currentSessionId: principal.sessionId } : {}),
    });
  }

  /** Revocation only ever reaches the caller's own sessions: the user id comes from the token. */
  @Route('DELETE /me/sessions/:id')
  async revoke(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /me/sessions/:id'>) {
    const sessionId = params.id === 'current' ? principal.sessionId : params.id;
    if (!sessionId) throw new AppError('validation_failed', 'an API key has no current session');
    const { revoked } = await this.nats.send(SessionsSubjects.revoke, { userId: principal.userId, sessionId });
    if (!revoked) throw new AppError('not_found', 'No such session');
    return { revoked: true as const };
  }
}
