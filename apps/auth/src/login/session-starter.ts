import { Injectable } from '@nestjs/common';
import { ActiveLoginRes, ParsedRequestOf, User } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';

type LoginReq = Pick<ParsedRequestOf<'auth.login.password'>, 'device' | 'application' | 'subid' | 'ip'>;

/** Turns a decided login into a permanent session (password now; approvals and OAuth2 later). */
@Injectable()
export class SessionStarter {
  constructor(private readonly nats: NatsClient) {}

  async start(user: User, req: LoginReq): Promise<ActiveLoginRes> {
    const created = await this.nats.send('sessions.session.create', {
      userId: user.id,
      domain: user.domain,
      username: user.username,
      admin: user.admin && !user.external,
      external: user.external,
      device: req.device,
      application: req.application,
      ...(req.subid ? { subid: req.subid } : {}),
      ip: req.ip,
    });
    return { status: 'active', session: created.session, accessToken: created.accessToken, expiresAt: created.expiresAt, user };
  }
}
