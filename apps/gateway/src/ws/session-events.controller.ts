import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventOf, SessionsSubjects } from '@gatehouse/contracts';
import { EventHandler } from '@gatehouse/platform';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import { SocketHub, WsCloseCodes } from './socket-hub.service';

/** Every gateway instance hears revocations and logs out its own sockets of that session. */
@Controller()
export class SessionEventsController {
  constructor(
    private readonly hub: SocketHub,
    private readonly verifier: CredentialVerifier,
  ) {}

  @EventHandler(SessionsSubjects.revoked)
  revoked(@Payload() event: EventOf<'sessions.session.revoked'>): void {
    this.end(event.sessionId, event.reason);
  }

  /** The sweep's batch: each session as above (a lookup by session key each, no scan of the sockets). */
  @EventHandler(SessionsSubjects.revokedBatch)
  revokedBatch(@Payload() event: EventOf<'sessions.session.revoked-batch'>): void {
    for (const session of event.sessions) this.end(session.sessionId, event.reason);
  }

  private end(sessionId: string, reason: EventOf<'sessions.session.revoked'>['reason']): void {
    this.verifier.forget(sessionId);
    this.hub.pushToSession(sessionId, { type: 'session.revoked', sessionId, reason });
    this.hub.closeSession(sessionId, WsCloseCodes.sessionRevoked, 'session revoked');
  }
}
