import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { ApiKey as ApiKeyRow } from '@gatehouse/db';

export type { ApiKeyRow };

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(row: { userId: string; name: string; keyHash: string; createdAt: Date; expiresAt: Date }): Promise<ApiKeyRow> {
    return this.prisma.apiKey.create({ data: row });
  }

  listOf(userId: string): Promise<ApiKeyRow[]> {
    return this.prisma.apiKey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }

  findByHash(keyHash: string): Promise<ApiKeyRow | null> {
    return this.prisma.apiKey.findUnique({ where: { keyHash } });
  }

  async revoke(userId: string, apiKeyId: string): Promise<boolean> {
    const { count } = await this.prisma.apiKey.deleteMany({ where: { id: apiKeyId, userId } });
    return count === 1;
  }

  async markUsed(apiKeyId: string, at: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id: apiKeyId }, data: { lastUsedAt: at } });
  }

  /** Every key of the user; returns how many there were. */
  async deleteOf(userId: string): Promise<number> {
    const { count } = await this.prisma.apiKey.deleteMany({ where: { userId } });
    return count;
  }
}
