import { Injectable } from '@nestjs/common';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Actor, PasskeyView, ParsedRequestOf, User } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import { reachUser } from '../accounts/user-reach';
import { AuditService } from '../audit/audit.service';
import { Passkey, PasskeysRepository } from './passkeys.repository';
import { WebauthnCeremonies } from './webauthn-ceremonies';
import { DirectorySubjects } from '@gatehouse/contracts';

/** How many passkeys one account may hold (each is a row and an entry in every registration's exclude list). */
const MAX_PASSKEYS_PER_USER = 20;

export const toPasskeyView = (p: Passkey): PasskeyView => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
  backedUp: p.backedUp,
});

/** A user's passkeys: add one (named), list them with creation and last use, remove one. */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly repository: PasskeysRepository,
    private readonly ceremonies: WebauthnCeremonies,
    private readonly nats: NatsClient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async registrationOptions(userId: string) {
    const user = await this.userOf(userId);
    const existing = await this.repository.listOf(user.id);
    if (existing.length >= MAX_PASSKEYS_PER_USER)
      throw new AppError('unprocessable', `At most ${MAX_PASSKEYS_PER_USER} passkeys per account`);
    return this.ceremonies.registrationOptions(user, existing);
  }

  async register(req: ParsedRequestOf<'auth.passkey.register'>) {
    const user = await this.userOf(req.userId);
    const info = await this.ceremonies.verifyRegistration(req.flowId, user.id, req.response);
    const { credential } = info;
    if (await this.repository.byCredentialId(credential.id)) throw new AppError('conflict', 'This passkey is registered already');
    const passkey = await this.repository.add({
      userId: user.id,
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? req.response.response.transports ?? [],
      name: req.name,
      backedUp: info.credentialBackedUp,
      createdAt: this.clock.now(),
    });
    await this.audit.record({
      type: 'passkey',
      outcome: 'registered',
      userId: user.id,
      details: { passkeyId: passkey.id, name: passkey.name, userVerified: info.userVerified },
    });
    return { passkey: toPasskeyView(passkey) };
  }

  /** With an administrator's `actor`, only of a user they reach (directory answers not_found otherwise). */
  async list(userId: string, actor?: Actor) {
    await reachUser(this.nats, actor, userId);
    return { passkeys: (await this.repository.listOf(userId)).map(toPasskeyView) };
  }

  /** With an administrator's `actor`, only of a user they reach; `domain` is then the user's. */
  async remove(req: ParsedRequestOf<'auth.passkey.remove'>) {
    const domain = await reachUser(this.nats, req.actor, req.userId);
    const removed = await this.repository.remove(req.userId, req.passkeyId);
    if (removed) {
      await this.audit.record({
        type: 'passkey',
        outcome: 'removed',
        userId: req.userId,
        details: { passkeyId: req.passkeyId, by: req.by, ...(req.actorUserId ? { actorUserId: req.actorUserId } : {}) },
      });
    }
    return { removed, ...(domain ? { domain } : {}) };
  }

  /** The account a passkey's user handle names (set at registration to the user id's bytes). */
  static userIdOfHandle(userHandle: string | undefined): string | null {
    if (!userHandle) return null;
    try {
      return new TextDecoder().decode(isoBase64URL.toBuffer(userHandle));
    } catch {
      return null;
    }
  }

  private async userOf(userId: string): Promise<User> {
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('forbidden', 'External users have no passkeys');
    return user;
  }
}
