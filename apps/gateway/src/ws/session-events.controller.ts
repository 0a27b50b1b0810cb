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
    this.verifier.forget(event.sessionId);
    this.hub.pushToSession(event.sessionId, { type: 'session.revoked', sessionId: event.sessionId, reason: event.reason });
    this.hub.closeSession(event.sessionId, WsCloseCodes.sessionRevoked, 'session revoked');
  }
}
