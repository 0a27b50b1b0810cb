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

  /** The user's domain, or null when the user does not exist (in `domain`, when given). */
  async saveRaw(userId: string, raw: string, domain?: string): Promise<string | null> {
    const [row] = await this.prisma.user.updateManyAndReturn({
      where: { id: userId, ...(domain ? { domain } : {}) },
      data: { homeScreen: raw },
      select: { domain: true },
    });
    return row?.domain ?? null;
  }
}
