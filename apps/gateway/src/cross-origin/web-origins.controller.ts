import { Controller, Req } from '@nestjs/common';
import { WebOriginsSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';
import { foreignOrigin } from './cors.hook';
import { OriginBindings } from './origin-bindings';
import { WebOrigins } from './web-origins.service';

/** `/admin/apps/:id/web-origins`: the extra origins of an app and the token lifetime of logins made for them (issue 19). */
@Controller()
export class AdminWebOriginsController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
    private readonly origins: WebOrigins,
  ) {}

  @Route('GET /admin/apps/:id/web-origins')
  get(@CurrentPrincipal() principal: Principal, @Input() { params, query }: Input<'GET /admin/apps/:id/web-origins'>) {
    return this.nats.send(WebOriginsSubjects.get, { domain: this.scope.domain(principal, query.domain), id: params.id }, { retries: 1 });
  }

  @Route('PUT /admin/apps/:id/web-origins')
  async set(@CurrentPrincipal() principal: Principal, @Input() { params, query, body }: Input<'PUT /admin/apps/:id/web-origins'>) {
    const saved = await this.nats.send(WebOriginsSubjects.set, {
      domain: this.scope.domain(principal, query.domain),
      id: params.id,
      origins: body.origins,
      tokenLifetimeHours: body.tokenLifetimeHours ?? null,
    });
    this.origins.invalidate();
    return saved;
  }
}

/**
 * Hands a session's lasting token to a web origin (issue 19): allowed only when the origin is
 * registered for the user's domain; from then on the session may mint access tokens from that
 * origin until the origin's token lifetime ends (`tokenUntil`).
 */
@Controller()
export class WebOriginBindController {
  constructor(
    private readonly origins: WebOrigins,
    private readonly bindings: OriginBindings,
  ) {}

  @Route('POST /web-origins/bind')
  async bind(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /web-origins/bind'>, @Req() request: FastifyRequest) {
    if (!principal.sessionId) throw new AppError('forbidden', 'Only a session can be handed to a web origin');
    const caller = foreignOrigin(request);
    const origin = caller ?? body.origin;
    if (!origin) throw new AppError('validation_failed', 'origin is required', { field: 'origin' });
    if (caller && body.origin && body.origin !== caller) throw new AppError('forbidden', 'A page may bind only its own origin');
    const registration = await this.origins.forDomain(origin, principal.domain);
    if (!registration) throw new AppError('forbidden', `${origin} is not registered for ${principal.domain}`);
    const binding = await this.bindings.bind(principal.sessionId, origin, registration.tokenLifetimeHours);
    return { origin, app: registration.appId, tokenUntil: new Date(binding.untilMs).toISOString() };
  }
}
