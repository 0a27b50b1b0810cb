import { Injectable } from '@nestjs/common';
import { APP_SOCKET_VERSION, type ReplyOf } from '@gatehouse/contracts';
import { SecretBox, constantTimeEqual, hmacSha256Hex } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock } from '@gatehouse/platform';
import { AppsRepository } from '../apps/apps.repository';
import { UserAppsRepository } from '../user-apps/user-apps.repository';

/** How far an app socket's timestamp may be from this clock (either way). */
const TIMESTAMP_WINDOW_MS = 60_000;

/**
 * App sockets (apps with the `websocket` flag, issue 18): the app's server proves it holds the
 * shared secret; the gateway then sends it the events of the users who may run it.
 */
@Injectable()
export class AppSocketsService {
  constructor(
    private readonly apps: AppsRepository,
    private readonly userApps: UserAppsRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async verify(domain: string, appId: string, timestamp: string, proof: string): Promise<ReplyOf<'directory.app-socket.verify'>> {
    const app = await this.apps.find(domain, appId);
    const fresh = Math.abs(this.clock.nowMs() - Number(timestamp)) <= TIMESTAMP_WINDOW_MS;
    // One answer for an unknown app, an app without the flag or secret, a stale or a wrong proof.
    const secret = app && app.websocket && app.secretEncrypted !== '' ? this.box.open(app.secretEncrypted) : undefined;
    const expected = hmacSha256Hex(secret ?? 'no-secret', [APP_SOCKET_VERSION, domain, appId, timestamp].join('\n'));
    if (!constantTimeEqual(expected, proof) || !secret || !fresh) throw new AppError('unauthenticated', 'App socket refused');
    return { domain, appId };
  }

  async forUser(userId: string): Promise<ReplyOf<'directory.socket-apps.list'>> {
    const found = await this.userApps.usable(userId);
    if (!found) return { user: null, domain: null, apps: [] };
    return {
      user: `${found.username}@${found.domain}`,
      domain: found.domain,
      apps: found.apps.filter((app) => app.websocket).map((app) => app.appId),
    };
  }
}
