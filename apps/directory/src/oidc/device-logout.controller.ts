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
    const { bindings, sids } = await this.store.endDeviceSession(event.sessionId);
    if (bindings.length === 0) return;
    const told = new Set<string>();
    for (const binding of bindings) {
      if (told.has(binding.clientId)) continue;
      told.add(binding.clientId);
      const client = await this.clients.client(binding.clientId);
      if (!client?.backchannel_logout_uri || !binding.issuer) continue;
      await this.queue.enqueue({
        issuer: binding.issuer,
        clientId: binding.clientId,
        uri: client.backchannel_logout_uri,
        sub: binding.userId,
        sid: sids.get(binding.clientId),
        deviceSessionId: event.sessionId,
      });
    }
    this.logger.info(
      { event: 'oidc.device_logged_out', sessionId: event.sessionId, apps: told.size, reason: event.reason },
      'device session ended: app tokens revoked',
    );
  }
}
