import type { Provider, Type } from '@nestjs/common';
import { ApiKeysController } from '../api-keys/api-keys.controller';
import { ExternalUsersController } from '../external-users/external-users.controller';
import { MySessionsController } from '../sessions/my-sessions.controller';
import { SessionEventsController } from '../ws/session-events.controller';
import { SocketHub } from '../ws/socket-hub.service';
import { AccessGuard, AdminGuard } from './access.guard';
import { CheckRoute } from './check.route';
import { CredentialVerifier } from './credential-verifier.service';
import { GuessThrottle } from './guess-throttle';
import { LoginController } from './login.controller';
import { TokenStore } from './token-store';

/** Login, sessions, API keys, external users and the WebSocket endpoint, as the gateway module lists them. */
export const authFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [LoginController, MySessionsController, ApiKeysController, ExternalUsersController, SessionEventsController],
  providers: [TokenStore, GuessThrottle, CredentialVerifier, CheckRoute, AccessGuard, AdminGuard, SocketHub],
};
