import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

@Injectable()
export class PresenceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Undefined when the user never set one; null when the user does not exist. */
  async find(userId: string): Promise<{ status: string; note: string } | undefined | null> {
    const user = await this.prisma.user.findUnique({
      where: { id: userId },
      select: { presence: { select: { status: true, note: true } } },
    });
    if (!user) return null;
    return user.presence ?? undefined;
  }

  /** Returns false when the user does not exist. */
  async save(userId: string, status: string, note: string): Promise<boolean> {
    if (!(await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } }))) return false;
    await this.prisma.userPresence.upsert({ where: { userId }, create: { userId, status, note }, update: { status, note } });
    return true;
  }
}
