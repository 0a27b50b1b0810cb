import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventOf, SessionsSubjects } from '@gatehouse/contracts';
import { EventHandler } from '@gatehouse/platform';
import { AppSockets } from '../app-runtime/app-sockets';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import { SocketHub, WsCloseCodes } from './socket-hub.service';

/** Every gateway instance hears revocations and logs out its own sockets of that session. */
@Controller()
export class SessionEventsController {
  constructor(
    private readonly hub: SocketHub,
    private readonly verifier: CredentialVerifier,
    private readonly appSockets: AppSockets,
  ) {}

  @EventHandler(SessionsSubjects.revoked)
  revoked(@Payload() event: EventOf<'sessions.session.revoked'>): void {
    this.end(event.sessionId, event.reason);
  }

  /**
   * The sweep's batch, the one handler of it here (each handler validates the whole payload again): each
   * session as above (a lookup by session key each, no scan of the sockets), then the app sockets told, if
   * this gateway holds any.
   */
  @EventHandler(SessionsSubjects.revokedBatch)
  async revokedBatch(@Payload() event: EventOf<'sessions.session.revoked-batch'>): Promise<void> {
    for (const session of event.sessions) this.end(session.sessionId, event.reason);
    await this.appSockets.sessionsEnded(event);
  }

  private end(sessionId: string, reason: EventOf<'sessions.session.revoked'>['reason']): void {
    this.verifier.forget(sessionId);
    // Most ended sessions have no socket here: the close only where the push found some.
    if (this.hub.pushToSession(sessionId, { type: 'session.revoked', sessionId, reason }) > 0)
      this.hub.closeSession(sessionId, WsCloseCodes.sessionRevoked, 'session revoked');
  }
}
