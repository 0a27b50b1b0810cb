import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CONFIG } from '@gatehouse/platform';
import type { Server } from 'node:http';
import type { GatewayConfig } from '../config';

/**
 * Shutdown lets open requests finish, but not for ever: whatever is still open after
 * SHUTDOWN_DRAIN_MS is cut off (a half-sent request or a busy keep-alive connection would
 * otherwise hold the HTTP server's close).
 */
@Injectable()
export class ShutdownDrain implements BeforeApplicationShutdown, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.timer = setTimeout(() => server.closeAllConnections(), this.config.SHUTDOWN_DRAIN_MS).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }
}
