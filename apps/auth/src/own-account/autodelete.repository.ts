import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import { AppError } from '@gatehouse/errors';

/** Seed 002's `autodelete` of an external user (issue 19); only external users have the setting. */
@Injectable()
export class AutodeleteRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(userId: string): Promise<boolean> {
    const row = await this.prisma.externalUser.findUnique({ where: { userId }, select: { autodelete: true } });
    if (!row) throw new AppError('unprocessable', 'Only external users have the autodelete setting');
    return row.autodelete;
  }

  async set(userId: string, autodelete: boolean): Promise<boolean> {
    const { count } = await this.prisma.externalUser.updateMany({ where: { userId }, data: { autodelete } });
    if (!count) throw new AppError('unprocessable', 'Only external users have the autodelete setting');
    return autodelete;
  }
}
