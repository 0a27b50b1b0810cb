import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as opaque from '@serenity-kit/opaque';
import { CONFIG, Clock, LOGGER, Logger, outsideCall } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { KeyStretching, OpaquePool } from './opaque-pool';
import { OpaqueRecordsRepository, StoredRecord } from './opaque-records.repository';

/**
 * OPAQUE (RFC 9807) for PBX passwords: the server keeps a record per user, never a hash, and at an
 * OPAQUE login never sees the password. Passwords that still arrive in plain (set by an admin or a
 * reset link, the plain route for scripts) are registered and checked by running the client half here.
 */
@Injectable()
export class OpaqueService implements OnModuleInit {
  private serverSetup?: string;
  readonly keyStretching: KeyStretching;

  constructor(
    private readonly records: OpaqueRecordsRepository,
    private readonly pool: OpaquePool,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.keyStretching = {
      memory: config.OPAQUE_STRETCH_MEMORY_KIB,
      iterations: config.OPAQUE_STRETCH_ITERATIONS,
      parallelism: config.OPAQUE_STRETCH_PARALLELISM,
    };
  }

  async onModuleInit(): Promise<void> {
    await opaque.ready;
    this.serverSetup = this.config.OPAQUE_SERVER_SETUP_SECRET ?? (await this.records.setup(opaque.server.createSetup(), this.clock.now()));
  }

  get setup(): string {
    if (!this.serverSetup) throw new Error('OPAQUE server setup not loaded');
    return this.serverSetup;
  }

  /** The record's identifier: the user id, or for a name no account has, the name itself (its fake record stays the same). */
  static identifierOf(userId: string | null, login: string): string {
    return userId ?? `unknown:${login.trim().toLowerCase()}`;
  }

  recordOf(userId: string): Promise<StoredRecord | null> {
    return this.records.find(userId);
  }

  /** Registers a password that reached the server in plain; the user's argon2id hash (if any) goes. */
  async register(userId: string, password: string): Promise<void> {
    const record = await this.pool.register(password, this.setup, userId, this.keyStretching);
    await this.records.save(userId, record, this.keyStretching, this.clock.now());
  }

  /** The plain route's check for an OPAQUE user, or an unknown one (a fake record: the same cost). */
  checkPlain(userId: string | null, login: string, stored: StoredRecord | null, password: string): Promise<boolean> {
    return this.pool.verify(
      password,
      stored?.record ?? null,
      this.setup,
      OpaqueService.identifierOf(userId, login),
      stored?.keyStretching ?? this.keyStretching,
    );
  }

  /** At its owner's first plain login an argon2id hash becomes a record; the login does not wait. */
  migrate(userId: string, previousHash: string, password: string): void {
    // outside the login's call: the migration goes on when the client leaves with its answer
    void outsideCall(() => this.pool.register(password, this.setup, userId, this.keyStretching))
      .then((record) => this.records.migrate(userId, previousHash, record, this.keyStretching, this.clock.now()))
      .then((done) => done && this.logger.info({ event: 'opaque.migrated', userId }, 'argon2id hash replaced by an OPAQUE record'))
      .catch((error: unknown) => this.logger.warn({ err: error, userId }, 'OPAQUE migration failed; the hash stays'));
  }

  /** Server half of the first message: the record's (or a fake record's) answer and the state to keep until the second. */
  startLogin(identifier: string, stored: StoredRecord | null, startLoginRequest: string) {
    return opaque.server.startLogin({
      serverSetup: this.setup,
      registrationRecord: stored?.record ?? null,
      startLoginRequest,
      userIdentifier: identifier,
    });
  }

  /** True when the client proved it opened the record (it knew the password). */
  finishLogin(serverLoginState: string, finishLoginRequest: string): boolean {
    try {
      opaque.server.finishLogin({ serverLoginState, finishLoginRequest });
      return true;
    } catch {
      return false;
    }
  }
}
