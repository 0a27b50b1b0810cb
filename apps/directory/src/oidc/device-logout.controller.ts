import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventOf, SessionsSubjects } from '@gatehouse/contracts';
import { EventHandler, LOGGER, Logger } from '@gatehouse/platform';
import { BackchannelLogoutQueue } from './backchannel-logout.queue';
import { OidcClientsService } from './oidc-clients.service';
import { OidcStoreRepository } from './oidc-store.repository';

/**
 * A device session ended (logout, remote revocation, password reset, expiry): the tokens its apps
 * hold are deleted at once, and each app with a back-channel logout URI is told (one replica acts).
 */
@Controller()
export class DeviceLogoutController {
  constructor(
    private readonly store: OidcStoreRepository,
    private readonly clients: OidcClientsService,
    private readonly queue: BackchannelLogoutQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @EventHandler(SessionsSubjects.revoked, 'directory')
  async revoked(@Payload() event: EventOf<'sessions.session.revoked'>): Promise<void> {
    await this.end([event.sessionId], event.reason);
  }

  /**
   * The sweep's batch: the app tokens of all its sessions in one lookup and one delete (one per session
   * was 200 transactions at once, and most could not start in Prisma's time under load).
   */
  @EventHandler(SessionsSubjects.revokedBatch, 'directory')
  async revokedBatch(@Payload() event: EventOf<'sessions.session.revoked-batch'>): Promise<void> {
    await this.end(
      event.sessions.map((session) => session.sessionId),
      event.reason,
    );
  }

  private async end(sessionIds: string[], reason: string): Promise<void> {
    const { bindings, sids } = await this.store.endDeviceSessions(sessionIds);
    const told = new Map<string, Set<string>>(); // per device session, the clients told
    for (const binding of bindings) {
      const clients = told.get(binding.deviceSessionId) ?? new Set<string>();
      told.set(binding.deviceSessionId, clients);
      if (clients.has(binding.clientId)) continue;
      clients.add(binding.clientId);
      const client = await this.clients.client(binding.clientId);
      if (!client?.backchannel_logout_uri || !binding.issuer) continue;
      await this.queue.enqueue({
        issuer: binding.issuer,
        clientId: binding.clientId,
        uri: client.backchannel_logout_uri,
        sub: binding.userId,
        sid: sids.get(binding.deviceSessionId)?.get(binding.clientId),
        deviceSessionId: binding.deviceSessionId,
      });
    }
    for (const [sessionId, clients] of told) {
      this.logger.info(
        { event: 'oidc.device_logged_out', sessionId, apps: clients.size, reason },
        'device session ended: app tokens revoked',
      );
    }
  }
}
