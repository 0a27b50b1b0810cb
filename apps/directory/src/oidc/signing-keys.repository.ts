import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { OidcSigningKey } from '@gatehouse/db';

export type SigningKeyRow = OidcSigningKey;

@Injectable()
export class SigningKeysRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Keys still published; the signing key (not retiring) first, then the newest. */
  published(now: Date): Promise<SigningKeyRow[]> {
    return this.prisma.oidcSigningKey.findMany({
      where: { OR: [{ retireAt: null }, { retireAt: { gt: now } }] },
      orderBy: [{ retireAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'desc' }],
    });
  }

  /**
   * Adds a new signing key and gives the older ones their retirement date, in one transaction
   * under a lock so two replicas rotating at once leave one signing key.
   */
  async rotate(kid: string, sealedJwk: string, now: Date, retireOldAt: Date, onlyIfNewestBefore?: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('directory.oidc-signing-keys'))`;
      if (onlyIfNewestBefore) {
        const newest = await tx.oidcSigningKey.findFirst({ where: { retireAt: null }, orderBy: { createdAt: 'desc' } });
        if (newest && newest.createdAt > onlyIfNewestBefore) return false;
      }
      await tx.oidcSigningKey.updateMany({ where: { retireAt: null }, data: { retireAt: retireOldAt } });
      await tx.oidcSigningKey.create({ data: { kid, sealedJwk, createdAt: now } });
      return true;
    });
  }

  async deleteRetired(now: Date): Promise<number> {
    const { count } = await this.prisma.oidcSigningKey.deleteMany({ where: { retireAt: { lte: now } } });
    return count;
  }
}
