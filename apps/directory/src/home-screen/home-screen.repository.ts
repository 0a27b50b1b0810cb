import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class HomeScreenRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findRaw(userId: string): Promise<string | null> {
    const row = await this.prisma.user.findUnique({ where: { id: userId }, select: { homeScreen: true } });
    return row?.homeScreen ?? null;
  }

  /** Returns false when the user does not exist. */
  async saveRaw(userId: string, raw: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id: userId }, data: { homeScreen: raw } });
    return count === 1;
  }

  /** App ids (seed IDs) the user may use: direct grants, template grants and device assignments. */
  async usableAppIds(userId: string): Promise<Set<string>> {
    const apps = await this.prisma.app.findMany({
      where: {
        OR: [
          { userGrants: { some: { userId } } },
          { templateGrants: { some: { template: { users: { some: { userId } } } } } },
          { devices: { some: { userId } } },
        ],
      },
      select: { appId: true },
    });
    return new Set(apps.map((app) => app.appId));
  }
}
