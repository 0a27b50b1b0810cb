import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Issues a link unless the account already had `limit` links since `windowStart`; the new link
   * voids the user's older unused ones, so only the newest mail works. False: over the limit.
   */
  async issue(
    link: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
    limit: number,
    windowStart: Date,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      // One issuer per user at a time, so concurrent requests cannot all pass the count.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`password-reset:${link.userId}`}))`;
      const recent = await tx.passwordReset.count({ where: { userId: link.userId, createdAt: { gt: windowStart } } });
      if (recent >= limit) return false;
      await tx.passwordReset.updateMany({ where: { userId: link.userId, usedAt: null }, data: { usedAt: link.createdAt } });
      await tx.passwordReset.create({ data: link });
      return true;
    });
  }

  /** Unused and unexpired: marks it used and returns its user; two redemptions at once, one wins. */
  async redeem(tokenHash: string, now: Date): Promise<string | null> {
    const rows = await this.prisma.passwordReset.updateManyAndReturn({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { userId: true },
    });
    return rows[0]?.userId ?? null;
  }

  async release(tokenHash: string): Promise<void> {
    await this.prisma.passwordReset.updateMany({ where: { tokenHash }, data: { usedAt: null } });
  }

  /** Every unused link of the user stops working (the password was just set). */
  async voidOutstanding(userId: string, now: Date): Promise<number> {
    const { count } = await this.prisma.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    return count;
  }

  async isRedeemable(tokenHash: string, now: Date): Promise<boolean> {
    return (await this.prisma.passwordReset.count({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } } })) === 1;
  }

  async deleteExpiredBefore(cutoff: Date): Promise<void> {
    await this.prisma.passwordReset.deleteMany({ where: { expiresAt: { lt: cutoff } } });
  }
}
