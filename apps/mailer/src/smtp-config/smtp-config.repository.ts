import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { SmtpAccount } from '@gatehouse/db';

export type { SmtpAccount };

/** The installation-wide account; per-domain rows can be added later with the same table. */
export const DEFAULT_DOMAIN = '';

@Injectable()
export class SmtpConfigRepository {
  constructor(private readonly prisma: PrismaClient) {}

  find(domain = DEFAULT_DOMAIN): Promise<SmtpAccount | null> {
    return this.prisma.smtpAccount.findUnique({ where: { domain } });
  }

  save(account: SmtpAccount): Promise<SmtpAccount> {
    return this.prisma.smtpAccount.upsert({ where: { domain: account.domain }, create: account, update: account });
  }
}
