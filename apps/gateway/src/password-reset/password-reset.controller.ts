import { Controller, Headers, Param, Req, Res } from '@nestjs/common';
import { LinkTokenParam, PasswordResetSubjects } from '@gatehouse/contracts';
import { AppError, httpStatusOf, toErrorBody } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/client-address';
import { escapeHtml, isFormPost, sendPage } from '../http/html-page';
import { Input, Route } from '../http/route.decorator';

const FORM =
  '<form method="post"><p><label>New password<br><input type="password" name="newPassword" autocomplete="new-password" required maxlength="4096"></label></p>' +
  '<p class="hint" id="strength-hint">Long is strong: a few unusual words of your own. Passwords from breach lists, common words and names, keyboard walks and your own name are refused.</p>' +
  '<p><label><input type="checkbox" name="endOtherSessions" value="true" checked> Log out all my devices</label></p>' +
  '<p><button type="submit">Set password</button></p></form>';

/** zxcvbn's suggestions for a refused password (auth's password policy puts them in the error's details). */
function strengthHint(details: Record<string, unknown> | undefined): string {
  const suggestions = Array.isArray(details?.['suggestions'])
    ? details['suggestions'].filter((s): s is string => typeof s === 'string')
    : [];
  return suggestions.length ? `<ul class="suggestions">${suggestions.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : '';
}

/** "Forgot password?": always 202; the emailed link sets one new password and never logs in. */
@Controller()
export class PasswordResetController {
  constructor(private readonly nats: NatsClient) {}

  @Route('POST /auth/password-reset')
  request(@Input() { body }: Input<'POST /auth/password-reset'>, @Req() request: FastifyRequest) {
    return this.nats.send(PasswordResetSubjects.request, { login: body.login, ip: clientAddress(request) });
  }

  @Route('GET /auth/password-reset/:token')
  show(@Param('token') token: string, @Res() reply: FastifyReply) {
    if (!LinkTokenParam.safeParse(token).success) return sendPage(reply, 404, 'Link not valid', '<p>This link is not valid.</p>');
    return sendPage(reply, 200, 'Choose a new password', FORM);
  }

  @Route('POST /auth/password-reset/:token')
  async complete(
    @Param('token') token: string,
    @Input() { body }: Input<'POST /auth/password-reset/:token'>,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = isFormPost(contentType);
    try {
      const parsed = LinkTokenParam.safeParse(token);
      if (!parsed.success) throw new AppError('reset_link_invalid', 'This reset link is not valid');
      const result = await this.nats.send(PasswordResetSubjects.complete, {
        token: parsed.data,
        newPassword: body.newPassword,
        endOtherSessions: body.endOtherSessions === true || body.endOtherSessions === 'true' || body.endOtherSessions === 'on',
        ip: clientAddress(request),
      });
      if (!form) return reply.code(200).send(result);
      return sendPage(reply, 200, 'Password changed', '<p>Your password has been changed. Sign in with it on your devices.</p>');
    } catch (error) {
      if (!form) throw error;
      const body = toErrorBody(error);
      const again = body.code === 'weak_password' ? strengthHint(body.details) + FORM : '';
      return sendPage(reply, httpStatusOf(body.code), 'Password not changed', `<p>${escapeHtml(body.message)}</p>${again}`);
    }
  }
}
