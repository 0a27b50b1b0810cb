import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { redactForAudit, AuditSubjects, DirectorySubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/principal';
import type { GatewayConfig } from '../config';
import { adminActor } from '../directory/admin-scope';
import type { AuditedRequest } from './audit-domain';

interface AdminRequest extends AuthenticatedRequest, AuditedRequest {
  method: string;
  url: string;
  ip?: string;
  body?: unknown;
  query?: Record<string, unknown>;
  params?: Record<string, string>;
  routeOptions?: { url?: string };
}

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ADMIN_ROUTE = /^\/api\/v1\/admin\//;
/** Settings of the whole installation: their rows belong to no domain, so only installation admins read them. */
const INSTALLATION_ROUTE = /^\/api\/v1\/admin\/(config\/(authentication|email)|audit\/settings)(\/|$)/;
const USER_ROUTE = /^\/api\/v1\/admin\/users\/:id(\/|$)/;
/** Answers to these are a result, not a change of the installation's state. */
const NOT_A_CHANGE = /\/(test)$/;

/**
 * Records every change made through /admin in auth's audit log: who, which route and object, and the
 * fields sent (secret values replaced by "(set)"). Here because only the gateway sees the route and
 * the body as sent, for every admin route in one place; refusals are recorded too. The row's domain is
 * the one the owning service answered (a reply's `domain`, or `auditIn` from the handler).
 */
@Injectable()
export class AdminChangeInterceptor implements NestInterceptor {
  constructor(
    private readonly nats: NatsClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const route = req.routeOptions?.url ?? '';
    if (!CHANGING.has(req.method) || !ADMIN_ROUTE.test(route) || NOT_A_CHANGE.test(route) || !req.principal) return next.handle();
    return from(this.run(req, route, next));
  }

  private async run(req: AdminRequest, route: string, next: CallHandler): Promise<unknown> {
    try {
      const reply = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.record(req, route, 'changed', await this.domainOf(req, route, reply));
      return reply;
    } catch (error: unknown) {
      const code = error instanceof AppError ? error.code : 'internal';
      // A refused request changed nothing in any domain: its row belongs to the administrator's own.
      if (code === 'forbidden' || code === 'not_found') await this.record(req, route, 'refused', this.refusedIn(req, route), code);
      throw error;
    }
  }

  private refusedIn(req: AdminRequest, route: string): string | null {
    return INSTALLATION_ROUTE.test(route) ? null : (req.principal?.domain.toLowerCase() ?? null);
  }

  private async domainOf(req: AdminRequest, route: string, reply: unknown): Promise<string | null> {
    const known = this.knownDomainOf(req, route, reply);
    if (known !== undefined) return known;
    // A domain administrator changes only users of their own domain; for an installation administrator,
    // a user route whose handler named no domain (auditIn) costs a lookup.
    const principal = req.principal;
    const installationAdmin = principal?.domain === this.config.GATEHOUSE_DOMAIN.toLowerCase();
    const userDomain = installationAdmin && USER_ROUTE.test(route) && req.params?.id ? await this.userDomain(req.params.id) : undefined;
    return (userDomain ?? principal?.domain)?.toLowerCase() ?? null;
  }

  /** The domain the change names itself: none for installation settings, else the handler's, the reply's, the body's or the query's. */
  private knownDomainOf(req: AdminRequest, route: string, reply: unknown): string | null | undefined {
    if (INSTALLATION_ROUTE.test(route)) return null;
    const fromReply =
      reply && typeof reply === 'object' && typeof (reply as { domain?: unknown }).domain === 'string'
        ? (reply as { domain: string }).domain
        : undefined;
    const fromBody =
      req.body && typeof req.body === 'object' && typeof (req.body as { domain?: unknown }).domain === 'string'
        ? (req.body as { domain: string }).domain
        : undefined;
    const fromQuery = typeof req.query?.domain === 'string' ? req.query.domain : undefined;
    return (req.auditDomain ?? fromReply ?? fromBody ?? fromQuery)?.toLowerCase();
  }

  private async record(
    req: AdminRequest,
    route: string,
    outcome: 'changed' | 'refused',
    domain: string | null,
    error?: string,
  ): Promise<void> {
    const principal = req.principal;
    if (!principal) return;
    const changes = req.body && typeof req.body === 'object' ? (redactForAudit(req.body) as Record<string, unknown>) : {};
    const target = Object.fromEntries(Object.entries(req.params ?? {}).map(([name, value]) => [name, String(value).slice(0, 320)]));
    await this.nats
      .send(AuditSubjects.record, {
        actor: adminActor(principal),
        type: 'admin.change',
        outcome,
        domain,
        ...(req.ip ? { ip: req.ip.slice(0, 100) } : {}),
        details: { route: `${req.method} ${route.replace(/^\/api\/v1/, '')}`, target, changes, ...(error ? { error } : {}) },
      })
      .catch((failure: unknown) => this.logger.error({ err: failure, route }, 'admin change not audited'));
  }

  private async userDomain(userId: string): Promise<string | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) return undefined;
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId }).catch(() => ({ user: null }));
    return user?.domain;
  }
}
