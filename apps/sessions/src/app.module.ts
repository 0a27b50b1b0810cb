import { DynamicModule, Module } from '@nestjs/common';
import { IntervalScheduler, ServiceRuntime, healthController, serviceProviders } from '@gatehouse/platform';
import { SessionsConfig } from './config';
import { NonceStore } from './sessions/nonce-store';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { TokenCache } from './sessions/token-cache';
import { ExpirySweeper } from './sweep/expiry-sweeper.service';

@Module({})
export class SessionsModule {
  static forRoot(runtime: ServiceRuntime<SessionsConfig>): DynamicModule {
    return {
      module: SessionsModule,
      controllers: [healthController('sessions'), SessionsController],
      providers: [
        ...serviceProviders('sessions', runtime, { redis: true, natsClient: true }),
        SessionsRepository,
        SessionsService,
        TokenCache,
        NonceStore,
        IntervalScheduler,
        ExpirySweeper,
      ],
    };
  }
}
