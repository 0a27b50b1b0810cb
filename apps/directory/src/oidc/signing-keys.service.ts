import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { SecretBox } from '@gatehouse/crypto';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { OidcSubjects } from '@gatehouse/contracts';
import type { DirectoryConfig } from '../config';
import { SigningKeysRepository } from './signing-keys.repository';

export const KEY_ROTATION_JOB = 'directory.oidc-key-rotation';

export interface PublishedKey {
  kid: string;
  jwk: Record<string, unknown>;
  retireAt: string | null;
}

/**
 * The OpenID Provider's signing keys: a new one every OIDC_KEY_ROTATION_DAYS; an old key stays
 * published (JWKS) for OIDC_KEY_OVERLAP_SECONDS after it stops signing, longer than any token it signed lives.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly scheduler: IntervalScheduler,
    private readonly nats: NatsClient,
    @Inject(CONFIG) private readonly config: DirectoryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.scheduler.every(KEY_ROTATION_JOB, this.config.OIDC_KEY_CHECK_INTERVAL_MS, () => this.rotateWhenDue());
  }

  /** Published keys, the signing key first; the first call of an installation makes its first key. */
  async published(): Promise<PublishedKey[]> {
    let rows = await this.keys.published(this.clock.now());
    if (rows.length === 0) {
      await this.rotate(false);
      rows = await this.keys.published(this.clock.now());
    }
    return rows.map((row) => ({
      kid: row.kid,
      jwk: JSON.parse(this.box.open(row.sealedJwk)) as Record<string, unknown>,
      retireAt: row.retireAt?.toISOString() ?? null,
    }));
  }

  /** `force`: now (an operator or a suspected leak); otherwise only when the signing key is older than the rotation period. */
  async rotate(force: boolean): Promise<string | null> {
    const now = this.clock.now();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomBytes(12).toString('base64url');
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    const dueBefore = force ? undefined : new Date(now.getTime() - this.config.OIDC_KEY_ROTATION_DAYS * 86_400_000);
    const retireOldAt = new Date(now.getTime() + this.config.OIDC_KEY_OVERLAP_SECONDS * 1000);
    if (!(await this.keys.rotate(kid, this.box.seal(JSON.stringify(jwk)), now, retireOldAt, dueBefore))) return null;
    this.logger.info({ event: 'oidc.key_rotated', kid }, 'new OpenID Provider signing key');
    await this.nats.emit(OidcSubjects.keysRotated, { kid });
    return kid;
  }

  /** The gateways' cookie key: derived, so it needs no setting of its own and is the same on every replica. */
  cookieSecret(): string {
    const ikm = createHash('sha256').update(this.config.GATEHOUSE_ENCRYPTION_KEY).digest();
    return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'gatehouse-oidc-cookies-v1', 32)).toString('base64url');
  }

  private async rotateWhenDue(): Promise<void> {
    const rotated = await this.rotate(false);
    // Gateways drop a retired key from JWKS when told (a rotation tells them already).
    if ((await this.keys.deleteRetired(this.clock.now())) > 0 && !rotated) await this.nats.emit(OidcSubjects.keysRotated, { kid: '' });
  }
}
