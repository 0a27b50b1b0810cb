import { Controller, Headers, Inject, Param, Res } from '@nestjs/common';
import { DirectorySubjects, LinkTokenParam, MailerSubjects } from '@gatehouse/contracts';
import { AppError, httpStatusOf } from '@gatehouse/errors';
import { Clock, LOGGER, Logger, NatsClient, REDIS, Redis } from '@gatehouse/platform';
import type { FastifyReply } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { escapeHtml, isFormPost, sendPage } from '../http/html-page';
import { Input, Route } from '../http/route.decorator';

/** How long a confirmation link works. */
export const EMAIL_CONFIRM_TTL_MINUTES = 24 * 60;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const linkKey = (hash: string) => `emc:${hash}`;
const newestKey = (userId: string) => `emc-user:${userId}`;

interface PendingChange {
  userId: string;
  email: string;
}

/**
 * A user's new email address (issue 19): `POST /me/email` mails a link to the new address, and
 * only its confirmation (`POST /account/email/:token`, from the page the link opens) replaces the
 * old address. Only the newest link of a user works, once, for a day.
 */
@Controller()
export class OwnEmailController {
  constructor(
    private readonly nats: NatsClient,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Route('POST /me/email')
  async request(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /me/email'>) {
    if (!principal.sessionId) throw new AppError('forbidden', 'Only a signed-in session may do this, not an API key');
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: principal.userId }, { retries: 1 });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('unprocessable', 'External users have no email address');
    const email = body.email;
    if (user.email?.toLowerCase() === email.toLowerCase())
      throw new AppError('validation_failed', 'This is already your address', { field: 'email' });
    const { user: holder } = await this.nats.send(DirectorySubjects.userFindByLogin, { login: email, defaultDomain: user.domain });
    if (holder && holder.id !== user.id) throw new AppError('email_exists', 'Another user has this address');

    const token = randomBytes(32).toString('base64url');
    const hash = sha256(token);
    const ttlMs = EMAIL_CONFIRM_TTL_MINUTES * 60_000;
    const change: PendingChange = { userId: user.id, email };
    await this.redis.multi().set(linkKey(hash), JSON.stringify(change), 'PX', ttlMs).set(newestKey(user.id), hash, 'PX', ttlMs).exec();
    await this.nats.send(MailerSubjects.mailSend, {
      kind: 'emailConfirm',
      to: email,
      language: user.language,
      data: { displayName: user.displayName || user.username, email, token, expiresMinutes: EMAIL_CONFIRM_TTL_MINUTES },
      idempotencyKey: `email-confirm:${hash}`,
    });
    this.logger.info({ event: 'account.email_change_requested', userId: user.id }, 'email change requested');
    return { pendingEmail: email, expiresAt: new Date(this.clock.nowMs() + ttlMs).toISOString() };
  }

  /** The link's page: shows the address and a button; a GET never changes anything (mail scanners open links). */
  @Route('GET /account/email/:token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply) {
    const change = await this.find(token);
    if (!change) return linkInvalid(reply);
    return sendPage(
      reply,
      200,
      'Confirm your new email address',
      `<p>Make <strong>${escapeHtml(change.email)}</strong> the email address of your account?</p>` +
        '<form method="post"><button type="submit" name="confirm" value="yes">Confirm</button></form>',
    );
  }

  @Route('POST /account/email/:token')
  async confirm(@Param('token') token: string, @Headers('content-type') contentType: string | undefined, @Res() reply: FastifyReply) {
    const form = isFormPost(contentType);
    const change = await this.find(token);
    if (!change) {
      if (form) return linkInvalid(reply);
      return reply.code(404).send({ error: { code: 'not_found', message: 'This link is not valid' } });
    }
    const hash = sha256(token);
    // Once: whoever deletes the link first makes the change.
    if ((await this.redis.del(linkKey(hash))) !== 1)
      return form ? linkInvalid(reply) : reply.code(404).send({ error: { code: 'not_found', message: 'This link is not valid' } });
    try {
      await this.nats.send(DirectorySubjects.userUpdate, { userId: change.userId, patch: { email: change.email } });
    } catch (error) {
      if (!form || !(error instanceof AppError)) throw error;
      const message = error.code === 'email_exists' ? 'Another user has this address by now.' : 'The address could not be changed.';
      return sendPage(reply, httpStatusOf(error.code), 'Email address not changed', `<p>${escapeHtml(message)}</p>`);
    }
    await this.redis.del(newestKey(change.userId));
    this.logger.info({ event: 'account.email_changed', userId: change.userId }, 'email address changed');
    if (!form) return reply.code(200).send({ email: change.email });
    return sendPage(reply, 200, 'Email address changed', `<p>Your email address is now ${escapeHtml(change.email)}.</p>`);
  }

  /** The pending change of a link that is the user's newest, or null. */
  private async find(token: string): Promise<PendingChange | null> {
    if (!LinkTokenParam.safeParse(token).success) return null;
    const hash = sha256(token);
    const raw = await this.redis.get(linkKey(hash));
    if (!raw) return null;
    const change = JSON.parse(raw) as PendingChange;
    return (await this.redis.get(newestKey(change.userId))) === hash ? change : null;
  }
}

const linkInvalid = (reply: FastifyReply) =>
  sendPage(reply, 404, 'Link not valid', '<p>This link is not valid: it was used, replaced by a newer one, or it has expired.</p>');
