import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DirectorySubjects, EventOf, ParsedRequestOf, ReplyOf, SessionsSubjects } from '@gatehouse/contracts';
import { EventHandler, RpcHandler } from '@gatehouse/platform';
import { SessionsService } from './sessions.service';

type Req<S extends Parameters<typeof RpcHandler>[0]> = ParsedRequestOf<S>;

@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @RpcHandler(SessionsSubjects.create)
  create(@Payload() req: Req<'sessions.session.create'>): Promise<ReplyOf<'sessions.session.create'>> {
    return this.sessions.create(req);
  }

  @RpcHandler(SessionsSubjects.challenge)
  challenge(@Payload() req: Req<'sessions.session.challenge'>) {
    return this.sessions.challenge(req.sessionId);
  }

  @RpcHandler(SessionsSubjects.mintToken)
  mintToken(@Payload() req: Req<'sessions.session.mint-token'>) {
    return this.sessions.mintToken(req);
  }

  @RpcHandler(SessionsSubjects.verifyToken)
  async verifyToken(@Payload() req: Req<'sessions.token.verify'>): Promise<ReplyOf<'sessions.token.verify'>> {
    return { entry: await this.sessions.verifyToken(req.tokenHash) };
  }

  @RpcHandler(SessionsSubjects.touch)
  async touch(@Payload() req: Req<'sessions.session.touch'>): Promise<ReplyOf<'sessions.session.touch'>> {
    return { alive: await this.sessions.touch(req.sessionId) };
  }

  @RpcHandler(SessionsSubjects.list)
  async list(@Payload() req: Req<'sessions.session.list'>): Promise<ReplyOf<'sessions.session.list'>> {
    return { sessions: await this.sessions.list(req.userId, req.currentSessionId, req.actor) };
  }

  @RpcHandler(SessionsSubjects.revoke)
  async revoke(@Payload() req: Req<'sessions.session.revoke'>): Promise<ReplyOf<'sessions.session.revoke'>> {
    if (!req.actor) return { revoked: await this.sessions.revoke(req.userId, req.sessionId) };
    return { revoked: true, domain: await this.sessions.revokeAs(req.actor, req.userId, req.sessionId) };
  }

  @RpcHandler(SessionsSubjects.revokeAllOfUser)
  async revokeAllOfUser(
    @Payload() req: Req<'sessions.session.revoke-all-of-user'>,
  ): Promise<ReplyOf<'sessions.session.revoke-all-of-user'>> {
    return { revoked: await this.sessions.revokeAllOf(req.userId) };
  }

  /** A changed user's tokens carry the change at once (an admin demoted loses /admin now). */
  @EventHandler(DirectorySubjects.userUpdated, 'sessions')
  async userUpdated(@Payload() event: EventOf<'directory.user.updated'>): Promise<void> {
    await this.sessions.userChanged(event.user);
  }

  /** A deleted user's devices are logged out at once. */
  @EventHandler(DirectorySubjects.userDeleted, 'sessions')
  async userDeleted(@Payload() event: EventOf<'directory.user.deleted'>): Promise<void> {
    await this.sessions.revokeAllOf(event.userId);
  }
}
