import { Controller, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AppsSubjects, EventOf, SessionsSubjects, type AppSocketEvent, PresenceSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { EventHandler, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { SocketHub } from '../ws/socket-hub.service';

/**
 * Users whose apps one batch of ended sessions looks up at once: an announcement names up to 200 (REVOKED_BATCH_MAX)
 * sessions, and as many requests together would queue in directory behind its pool (and time out).
 */
export const APP_LOOKUPS_AT_ONCE = 50;

/** The key an app's sockets are filed under in the SocketHub. */
const appKey = (domain: string, appId: string) => `app:${domain}/${appId}`;

/**
 * WebSockets of app servers (apps with the `websocket` flag, seed 000 "some apps need a websocket
 * connection"): on `/api/v1/ws` with the first message `{ type: "app", domain, appId, timestamp, proof }`
 * (proof: HMAC-SHA256 with the shared secret, see AppSocketVerifyReq); directory checks it. The
 * socket then receives the events of the users who may run the app, each naming the user.
 */
@Injectable()
export class AppSockets implements OnModuleInit {
  constructor(
    private readonly hub: SocketHub,
    private readonly nats: NatsClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.hub.registerFirstMessage('app', async ({ domain, appId, timestamp, proof }) => {
      try {
        await this.nats.send(PresenceSubjects.appSocketVerify, { domain, appId, timestamp, proof });
      } catch (error) {
        // A malformed field is a refused proof like any other.
        if (error instanceof AppError && error.code === 'validation_failed') throw new AppError('unauthenticated', 'App socket refused');
        throw error;
      }
      this.logger.info({ event: 'app_socket.connected', domain, appId }, 'app socket connected');
      return { keys: [appKey(domain, appId)] };
    });
  }

  /** Sends `message` with the user's name to every app socket (held here) of the apps the user may run. */
  tell(userId: string, message: AppSocketEvent): Promise<void> {
    return this.tellAll(userId, [message]);
  }

  /** Several messages about one user: one lookup of the user's apps for all of them. */
  async tellAll(userId: string, messages: AppSocketEvent[]): Promise<void> {
    // Most gateways hold no app socket: no lookup then.
    if (!this.holdsAppSockets()) return;
    try {
      const { user, domain, apps } = await this.nats.send(PresenceSubjects.socketAppsList, { userId }, { retries: 1 });
      if (!user || !domain) return;
      for (const appId of apps) for (const message of messages) this.hub.pushToKey(appKey(domain, appId), { ...message, user });
    } catch (error) {
      this.logger.warn(
        { event: 'app_socket.push_failed', type: messages[0]?.type, code: error instanceof AppError ? error.code : 'internal_error' },
        'app sockets not told',
      );
    }
  }

  /**
   * Sessions ended in one batch (`sessions.session.revoked-batch`, heard by SessionEventsController): the apps
   * are looked up once per user, not per session; a gateway without app sockets does nothing.
   */
  async sessionsEnded(event: EventOf<'sessions.session.revoked-batch'>): Promise<void> {
    if (!this.holdsAppSockets()) return;
    const byUser = new Map<string, AppSocketEvent[]>();
    for (const { userId, sessionId } of event.sessions) {
      const messages = byUser.get(userId);
      const message: AppSocketEvent = { type: 'session.revoked', sessionId, reason: event.reason };
      if (messages) messages.push(message);
      else byUser.set(userId, [message]);
    }
    const users = [...byUser];
    for (let from = 0; from < users.length; from += APP_LOOKUPS_AT_ONCE)
      await Promise.all(users.slice(from, from + APP_LOOKUPS_AT_ONCE).map(([userId, messages]) => this.tellAll(userId, messages)));
  }

  holdsAppSockets(): boolean {
    return this.hub.holdsKeyStartingWith('app:');
  }
}

/** Session and app events for app sockets; presence is told by PresenceEventsController. */
@Controller()
export class AppSocketEventsController {
  constructor(private readonly appSockets: AppSockets) {}

  @EventHandler(SessionsSubjects.revoked)
  revoked(@Payload() event: EventOf<'sessions.session.revoked'>): Promise<void> {
    return this.appSockets.tell(event.userId, { type: 'session.revoked', sessionId: event.sessionId, reason: event.reason });
  }

  @EventHandler(AppsSubjects.appsChanged)
  async appsChanged(@Payload() event: EventOf<'directory.apps.changed'>): Promise<void> {
    await Promise.all(event.userIds.map((userId) => this.appSockets.tell(userId, { type: 'apps.changed' })));
  }
}
