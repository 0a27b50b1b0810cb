import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';

@Injectable()
export class ClientSettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(domain: string): Promise<unknown> {
    const row = await this.prisma.clientSettings.findUnique({ where: { domain } });
    return row?.settings ?? null;
  }

  async save(domain: string, settings: Prisma.InputJsonObject): Promise<void> {
    await this.prisma.clientSettings.upsert({ where: { domain }, create: { domain, settings }, update: { settings } });
  }

  async userDomain(userId: string): Promise<string | null> {
    const row = await this.prisma.user.findUnique({ where: { id: userId }, select: { domain: true } });
    return row?.domain ?? null;
  }
}
