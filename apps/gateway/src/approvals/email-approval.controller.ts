import { Controller, Headers, Param, Req, Res } from '@nestjs/common';
import { ApprovalView, LinkTokenParam, ApprovalSubjects } from '@gatehouse/contracts';
import { AppError, httpStatusOf, toErrorBody } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/client-address';
import { escapeHtml, isFormPost, sendPage } from '../http/html-page';
import { Input, Route } from '../http/route.decorator';

/** Seed 000: what to do when a login was not yours. */
const REJECTED_ADVICE =
  '<p>The login was rejected. If you did not try to sign in, someone knows your password: inform your administrator and change your password.</p>';

const PAGES: Partial<Record<string, [string, string]>> = {
  approval_not_found: ['Link not valid', '<p>This link is not valid.</p>'],
  link_used: ['Link already used', '<p>This link has already been used. Each approval link works once.</p>'],
  approval_expired: [
    'Login request expired',
    '<p>This login request has expired or was ended. Start the login again on the new device.</p>',
  ],
  approval_already_decided: ['Already decided', '<p>This login has already been accepted or rejected from another device.</p>'],
  invalid_security_code: ['Wrong code', '<p>The code does not match the one shown on the new device. Go back and try again.</p>'],
};

/** The Accept/Reject page of the emailed approval link: GET only shows, POST decides. */
@Controller()
export class EmailApprovalController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /approvals/email/:token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply) {
    try {
      const { approval, status, used } = await this.nats.send(ApprovalSubjects.emailView, { token: LinkTokenParam.parse(token) });
      if (used) throw new AppError('link_used', 'used');
      if (status === 'expired') throw new AppError('approval_expired', 'expired');
      if (status !== 'pending') throw new AppError('approval_already_decided', 'decided');
      return sendPage(reply, 200, 'Approve a new login?', approvalForm(approval));
    } catch (error) {
      return errorPage(reply, error);
    }
  }

  @Route('POST /approvals/email/:token')
  async decide(
    @Param('token') token: string,
    @Input() { body }: Input<'POST /approvals/email/:token'>,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = isFormPost(contentType);
    try {
      const { status } = await this.nats.send(ApprovalSubjects.emailDecide, {
        token: LinkTokenParam.parse(token),
        decision: body.decision,
        ...(body.code ? { code: body.code } : {}),
        ip: clientAddress(request),
      });
      if (!form) return reply.code(200).send({ status });
      return status === 'approved'
        ? sendPage(reply, 200, 'Login accepted', '<p>The new device is signed in now. You can close this page.</p>')
        : sendPage(reply, 200, 'Login rejected', REJECTED_ADVICE);
    } catch (error) {
      if (!form) throw error;
      return errorPage(reply, error);
    }
  }
}

function approvalForm(approval: ApprovalView): string {
  const details =
    `<p>A new device wants to sign in to your account:</p><ul><li>Device: ${escapeHtml(`${approval.device.name} (${approval.device.platform})`)}</li>` +
    `<li>Address: ${escapeHtml(approval.ip)}</li><li>Time: ${escapeHtml(approval.requestedAt)}</li></ul>`;
  const code = approval.securityCode
    ? `<p>Security code:</p><p class="code">${escapeHtml(approval.securityCode)}</p><p>Accept only if the new device shows the same code.</p>`
    : '<p><label>Type the security code the new device shows: <input name="code" inputmode="numeric" autocomplete="off" maxlength="32"></label></p>';
  return (
    `${details}<form method="post">${code}` +
    '<button type="submit" name="decision" value="accept">Accept</button>' +
    '<button type="submit" name="decision" value="reject" formnovalidate>Reject</button></form>'
  );
}

function errorPage(reply: FastifyReply, error: unknown): FastifyReply {
  const body = error instanceof AppError ? error.toBody() : toErrorBody(error);
  const page = PAGES[body.code] ?? (error instanceof Error && error.name === 'ZodError' ? PAGES.approval_not_found : undefined);
  if (!page) return sendPage(reply, httpStatusOf(body.code), 'Something went wrong', '<p>Please try again later.</p>');
  const status = error instanceof AppError ? httpStatusOf(body.code) : 404;
  return sendPage(reply, status, page[0], page[1]);
}
