import { Controller, Req } from '@nestjs/common';
import { DirectorySubjects, OwnAccountSubjects, RECENT_SIGN_IN_MS, SessionsSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/client-address';
import { GuessThrottle } from '../auth/guess-throttle';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/**
 * The account's own settings (issue 19; the user's side of seed 002's "Account security"):
 * the password, "Log out all other devices", the profile, and external users' autodelete. The
 * password and the sessions from a session only: an API key cannot change the password of the
 * account it speaks for, nor end its sessions.
 */
@Controller()
export class OwnAccountController {
  constructor(
    private readonly nats: NatsClient,
    private readonly guesses: GuessThrottle,
    private readonly clock: Clock,
  ) {}

  /** The current password, or a sign-in of this session within five minutes; `endOtherSessions` ends every other session. */
  @Route('POST /me/password')
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: Input<'POST /me/password'>,
    @Req() request: FastifyRequest,
  ) {
    const sessionId = this.sessionOf(principal);
    const { sessions } = await this.nats.send(SessionsSubjects.list, { userId: principal.userId, currentSessionId: sessionId });
    const current = sessions.find((session) => session.id === sessionId);
    const recentSignIn = !!current && this.clock.nowMs() - Date.parse(current.createdAt) <= RECENT_SIGN_IN_MS;
    // A wrong current password is a guess like a failed login (GuessThrottle), counted per address.
    await this.guesses.counting(clientAddress(request), ['invalid_credentials'], () =>
      this.nats.send(
        OwnAccountSubjects.passwordChange,
        {
          userId: principal.userId,
          recentSignIn,
          newPassword: body.newPassword,
          ...(body.currentPassword !== undefined ? { currentPassword: body.currentPassword } : {}),
        },
        { timeoutMs: 15_000 },
      ),
    );
    const sessionsEnded = body.endOtherSessions ? await this.endOthers(principal.userId, sessionId) : 0;
    return { changed: true as const, sessionsEnded };
  }

  /** "Log out all other devices": every session of the user but this one ends (each device is told at once). */
  @Route('POST /me/logout-others')
  async logoutOthers(@CurrentPrincipal() principal: Principal) {
    return { sessionsEnded: await this.endOthers(principal.userId, this.sessionOf(principal)) };
  }

  /** Display name and language (the email changes through a confirmed link). */
  @Route('PATCH /me/profile')
  async profile(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PATCH /me/profile'>) {
    const patch = {
      ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
      ...(body.language ? { language: body.language } : {}),
    };
    await this.nats.send(DirectorySubjects.userUpdate, { userId: principal.userId, patch });
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: principal.userId }, { retries: 1 });
    if (!user) throw new AppError('not_found', 'No such user');
    return { ...user, sipUri: `sip:${user.username}@${user.domain}` };
  }

  /** External users (seed 002): deleted as soon as their session ends (`true`, the default) or kept. */
  @Route('GET /me/autodelete')
  autodelete(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(OwnAccountSubjects.autodeleteGet, { userId: principal.userId }, { retries: 1 });
  }

  @Route('PUT /me/autodelete')
  setAutodelete(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PUT /me/autodelete'>) {
    return this.nats.send(OwnAccountSubjects.autodeleteSet, { userId: principal.userId, autodelete: body.autodelete });
  }

  private sessionOf(principal: Principal): string {
    if (!principal.sessionId) throw new AppError('forbidden', 'Only a signed-in session may do this, not an API key');
    return principal.sessionId;
  }

  private async endOthers(userId: string, keep: string): Promise<number> {
    const { sessions } = await this.nats.send(SessionsSubjects.list, { userId, currentSessionId: keep });
    let ended = 0;
    for (const session of sessions) {
      if (session.id === keep) continue;
      const { revoked } = await this.nats.send(SessionsSubjects.revoke, { userId, sessionId: session.id });
      if (revoked) ended++;
    }
    return ended;
  }
}
