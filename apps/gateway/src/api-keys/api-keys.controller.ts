import { Controller } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AuthSubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/**
 * Seed 002 API keys: non-interactive, the user's permissions, shown once, expiring (90 days unless
 * asked otherwise, at most 365). Made only from a signed-in session, so a stolen key cannot mint
 * keys that outlive it.
 */
@Controller()
export class ApiKeysController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me/api-keys')
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(AuthSubjects.apiKeyList, { userId: principal.userId });
  }

  @Route('POST /me/api-keys')
  create(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /me/api-keys'>) {
    if (principal.external) throw new AppError('forbidden', 'External users cannot make API keys');
    if (!principal.sessionId)
      throw new AppError('interactive_session_required', 'API keys are made from a signed-in session, not with an API key');
    return this.nats.send(AuthSubjects.apiKeyCreate, {
      userId: principal.userId,
      sessionId: principal.sessionId,
      name: body.name,
      expiresInDays: body.expiresInDays,
    });
  }

  @Route('DELETE /me/api-keys/:id')
  async revoke(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /me/api-keys/:id'>) {
    const { revoked } = await this.nats.send(AuthSubjects.apiKeyRevoke, {
      userId: principal.userId,
      apiKeyId: params.id,
      ...(principal.apiKeyId ? { viaApiKeyId: principal.apiKeyId } : {}),
    });
    if (!revoked) throw new AppError('not_found', 'No such API key');
    return { revoked: true as const };
  }
}
