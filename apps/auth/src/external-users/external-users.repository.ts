import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class ExternalUsersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async add(userId: string, createdAt: Date, deleteAt: Date): Promise<void> {
    await this.prisma.externalUser.create({ data: { userId, createdAt, deleteAt } });
  }

  /** Single use: only the first login of a never-used external user wins. */
  async markUsed(userId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.externalUser.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now, deleteAt: null } });
    return count === 1;
  }

  async dueNow(userId: string, now: Date): Promise<void> {
    // Seed 002 `autodelete: false` (issue 19): the user stays after its session ends.
    await this.prisma.externalUser.updateMany({ where: { userId, autodelete: true }, data: { deleteAt: now } });
  }

  /** Takes the due users off the list; SKIP LOCKED keeps replicas from taking the same ones. */
  claimDue(now: Date, limit: number): Promise<{ userId: string }[]> {
    return this.prisma.$queryRaw<{ userId: string }[]>`
      DELETE FROM "auth"."ExternalUser" WHERE "userId" IN (
        SELECT "userId" FROM "auth"."ExternalUser" WHERE "deleteAt" <= ${now}
        ORDER BY "deleteAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING "userId"`;
  }

  async putBack(userId: string, deleteAt: Date): Promise<void> {
    await this.prisma.externalUser.upsert({ where: { userId }, create: { userId, createdAt: deleteAt, deleteAt }, update: { deleteAt } });
  }

  async remove(userId: string): Promise<void> {
    await this.prisma.externalUser.deleteMany({ where: { userId } });
  }
}
