import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class HomeScreenRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Null when the user does not exist (in `domain`, when given). */
  async findRaw(userId: string, domain?: string): Promise<string | null> {
    const row = await this.prisma.user.findFirst({ where: { id: userId, ...(domain ? { domain } : {}) }, select: { homeScreen: true } });
    return row?.homeScreen ?? null;
  }

  /** Returns false when the user does not exist (in `domain`, when given). */
  async saveRaw(userId: string, raw: string, domain?: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id: userId, ...(domain ? { domain } : {}) },
      data: { homeScreen: raw },
    });
    return count === 1;
  }
}
