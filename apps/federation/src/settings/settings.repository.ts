import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { FederationSettings as SettingsRow } from '@gatehouse/db';

export type { SettingsRow };

const ID = 1;

@Injectable()
export class SettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  find(): Promise<SettingsRow | null> {
    return this.prisma.federationSettings.findUnique({ where: { id: ID } });
  }

  upsert(data: Prisma.FederationSettingsUpdateInput & Prisma.FederationSettingsCreateInput): Promise<SettingsRow> {
    return this.prisma.federationSettings.upsert({ where: { id: ID }, create: { ...data, id: ID }, update: data });
  }
}
