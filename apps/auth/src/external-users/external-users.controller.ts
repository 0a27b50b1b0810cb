import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { actsInDomain, AuthSubjects, EventOf, ParsedRequestOf, ReplyOf, SessionsSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, EventHandler, RpcHandler } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { ExternalUsersService } from './external-users.service';

@Controller()
export class ExternalUsersController {
  constructor(
    private readonly externalUsers: ExternalUsersService,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  @RpcHandler(AuthSubjects.externalUserCreate)
  async create(@Payload() req: ParsedRequestOf<'auth.external-user.create'>): Promise<ReplyOf<'auth.external-user.create'>> {
    // An external user logs in to its domain: a domain administrator may make them only in their own.
    if (!actsInDomain(req.actor, this.config.GATEHOUSE_DOMAIN, req.domain)) {
      throw new AppError('forbidden', 'Domain administrators create external users in their own domain only');
    }
    return this.externalUsers.create(req.domain, req.displayName);
  }

  @EventHandler(SessionsSubjects.revoked, 'auth')
  async sessionEnded(@Payload() event: EventOf<'sessions.session.revoked'>): Promise<void> {
    if (event.external && event.reason !== 'user_deleted') await this.externalUsers.sessionEnded(event.userId);
  }

  /** The sweep's batch: each external user once. */
  @EventHandler(SessionsSubjects.revokedBatch, 'auth')
  async sessionsEnded(@Payload() event: EventOf<'sessions.session.revoked-batch'>): Promise<void> {
    if (event.reason === 'user_deleted') return;
    const users = new Set(event.sessions.filter((session) => session.external).map((session) => session.userId));
    for (const userId of users) await this.externalUsers.sessionEnded(userId);
  }
}
