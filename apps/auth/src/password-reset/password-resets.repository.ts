import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date): Promise<void> {
    await this.prisma.passwordReset.create({ data: { tokenHash, userId, createdAt, expiresAt } });
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

  async isRedeemable(tokenHash: string, now: Date): Promise<boolean> {
    return (await this.prisma.passwordReset.count({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } } })) === 1;
  }

  async deleteExpiredBefore(cutoff: Date): Promise<void> {
    await this.prisma.passwordReset.deleteMany({ where: { expiresAt: { lt: cutoff } } });
  }
}
