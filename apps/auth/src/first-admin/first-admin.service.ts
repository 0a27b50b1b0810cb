import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { CONFIG, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { CredentialsRepository } from '../passwords/credentials.repository';
import { PasswordsService } from '../passwords/passwords.service';
import { DirectorySubjects } from '@gatehouse/contracts';

const ATTEMPTS = 60;

/**
 * ADMIN_USERNAME / ADMIN_PASSWORD make the first administrator on first start. Idempotent: an
 * existing user with a password is left alone. Runs in the background because `directory` may
 * come up after `auth`.
 */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;

  constructor(
    private readonly nats: NatsClient,
    private readonly passwords: PasswordsService,
    private readonly credentials: CredentialsRepository,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (username && password) void this.ensure(username, password);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  async ensure(username: string, password: string): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS && !this.stopped; attempt++) {
      try {
        const domain = this.config.GATEHOUSE_DOMAIN;
        let { user } = await this.nats.send(DirectorySubjects.userFindByLogin, { login: username, defaultDomain: domain });
        if (user && (await this.credentials.hasPassword(user.id))) return;
        user ??= (await this.nats.send(DirectorySubjects.userCreate, { domain, username, admin: true, displayName: 'Administrator' })).user;
        await this.passwords.set(user.id, password);
        this.logger.info({ event: 'auth.first_admin', userId: user.id }, `first administrator ${username}@${domain} created`);
        return;
      } catch (error) {
        if (error instanceof AppError && error.code === 'weak_password') {
          this.logger.error({ code: error.code }, `ADMIN_PASSWORD refused: ${error.message}`);
          return;
        }
        // user_exists (another replica won) or directory not up yet: look again shortly.
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}
