import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class CredentialsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async hashOf(userId: string): Promise<string | null> {
    const row = await this.prisma.credential.findUnique({ where: { userId }, select: { passwordHash: true } });
    return row?.passwordHash ?? null;
  }

  /** A PBX password of either kind: an OPAQUE record (issue 22) or an argon2id hash not yet migrated. */
  async hasPassword(userId: string): Promise<boolean> {
    const [hash, record] = await Promise.all([
      this.prisma.credential.count({ where: { userId } }),
      this.prisma.opaqueRecord.count({ where: { userId } }),
    ]);
    return hash + record > 0;
  }

  async set(userId: string, passwordHash: string): Promise<void> {
    await this.prisma.credential.upsert({ where: { userId }, create: { userId, passwordHash }, update: { passwordHash } });
  }

  /** Replaces the hash only if it is still `previous` (a password changed meanwhile wins). */
  async replace(userId: string, previous: string, passwordHash: string): Promise<void> {
    await this.prisma.credential.updateMany({ where: { userId, passwordHash: previous }, data: { passwordHash } });
  }

  async deleteOf(userId: string): Promise<void> {
    await this.prisma.credential.deleteMany({ where: { userId } });
    await this.prisma.opaqueRecord.deleteMany({ where: { userId } });
  }
}
