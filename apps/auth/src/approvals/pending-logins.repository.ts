import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { PendingLogin } from '@gatehouse/db';

export type { PendingLogin };
export type NewPendingLogin = Omit<
  Prisma.PendingLoginUncheckedCreateInput,
  'id' | 'status' | 'wrongCodes' | 'decidedAt' | 'emailTokenUsed'
>;

/**
 * Every change of state is one conditional UPDATE, so two deciders (two tabs, two browsers on one
 * emailed link) race in PostgreSQL and exactly one of them wins.
 */
@Injectable()
export class PendingLoginsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(data: NewPendingLogin): Promise<PendingLogin> {
    return this.prisma.pendingLogin.create({ data: { ...data, status: 'pending' } });
  }

  find(id: string): Promise<PendingLogin | null> {
    return this.prisma.pendingLogin.findUnique({ where: { id } });
  }

  findOfUser(userId: string, id: string): Promise<PendingLogin | null> {
    return this.prisma.pendingLogin.findFirst({ where: { id, userId } });
  }

  findByEmailToken(emailTokenHash: string): Promise<PendingLogin | null> {
    return this.prisma.pendingLogin.findUnique({ where: { emailTokenHash } });
  }

  waitingOf(userId: string, now: Date): Promise<PendingLogin[]> {
    return this.prisma.pendingLogin.findMany({
      where: { userId, status: 'pending', expiresAt: { gt: now } },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** pending -> approved|rejected|cancelled while unexpired; false when someone else decided first or it expired. */
  async decide(id: string, status: 'approved' | 'rejected' | 'cancelled', now: Date, viaEmailTokenHash?: string): Promise<boolean> {
    const { count } = await this.prisma.pendingLogin.updateMany({
      where: {
        id,
        status: 'pending',
        expiresAt: { gt: now },
        ...(viaEmailTokenHash ? { emailTokenHash: viaEmailTokenHash, emailTokenUsed: false } : {}),
      },
      data: { status, decidedAt: now, ...(viaEmailTokenHash ? { emailTokenUsed: true } : {}) },
    });
    return count === 1;
  }

  /** approved -> completed: the device collects its session once. */
  async claim(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.pendingLogin.updateMany({
      where: { id, status: 'approved', expiresAt: { gt: now } },
      data: { status: 'completed' },
    });
    return count === 1;
  }

  async unclaim(id: string): Promise<void> {
    await this.prisma.pendingLogin.updateMany({ where: { id, status: 'completed' }, data: { status: 'approved' } });
  }

  /** Counts a wrong transfer code; returns the new count. */
  async countWrongCode(id: string): Promise<number> {
    const row = await this.prisma.pendingLogin.update({
      where: { id },
      data: { wrongCodes: { increment: 1 } },
      select: { wrongCodes: true },
    });
    return row.wrongCodes;
  }

  /** Logins still waiting for an answer, across every replica. */
  countWaiting(now: Date): Promise<number> {
    return this.prisma.pendingLogin.count({ where: { status: 'pending', expiresAt: { gt: now } } });
  }

  /** Ended logins stay a day so a late poll still learns the outcome; then they go. */
  async deleteEndedBefore(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.pendingLogin.deleteMany({ where: { expiresAt: { lt: cutoff } } });
    return count;
  }
}
