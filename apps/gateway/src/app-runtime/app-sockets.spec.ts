import type { Logger, NatsClient } from '@gatehouse/platform';
import type { SocketHub } from '../ws/socket-hub.service';
import { APP_LOOKUPS_AT_ONCE, AppSockets } from './app-sockets';

describe('AppSockets.sessionsEnded', () => {
  it('looks up the apps of the users of a large batch at most APP_LOOKUPS_AT_ONCE at a time, each user once', async () => {
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const nats = {
      send: async (_subject: string, { userId }: { userId: string }) => {
        asked.push(userId);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return { user: `user-${userId}`, domain: 'example.com', apps: ['mail'] };
      },
    } as unknown as NatsClient;
    const pushed: unknown[] = [];
    const hub = {
      holdsKeyStartingWith: () => true,
      pushToKey: (key: string, message: unknown) => pushed.push({ key, message }),
    } as unknown as SocketHub;
    const sockets = new AppSockets(hub, nats, { warn: () => undefined } as unknown as Logger);
    // 1,000 sessions of 400 users
    const sessions = Array.from({ length: 1000 }, (_, i) => ({ sessionId: `s${i}`, userId: `u${i % 400}`, external: false }));

    await sockets.sessionsEnded({ reason: 'expired', sessions });

    expect(most).toBe(APP_LOOKUPS_AT_ONCE);
    expect(new Set(asked).size).toBe(400);
    expect(asked).toHaveLength(400);
    expect(pushed).toHaveLength(1000);
    expect(pushed[0]).toEqual({
      key: 'app:example.com/mail',
      message: { type: 'session.revoked', sessionId: 's0', reason: 'expired', user: 'user-u0' },
    });
  });
});
