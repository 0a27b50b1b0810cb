import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { FederatedIdentity as IdentityRow } from '@gatehouse/db';

export type { IdentityRow };

@Injectable()
export class IdentitiesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Keyed by (issuer, subject); the latest email/UPN are kept for display, never for re-linking. */
  record(issuer: string, subject: string, email: string | null, upn: string | null): Promise<IdentityRow> {
    return this.prisma.federatedIdentity.upsert({
      where: { issuer_subject: { issuer, subject } },
      create: { issuer, subject, email, upn },
      update: { email, upn },
    });
  }

  /** Links only an identity that is not linked yet: a later email never moves an existing link. */
  async link(id: string, userId: string): Promise<string | null> {
    await this.prisma.federatedIdentity.updateMany({ where: { id, userId: null }, data: { userId } });
    return (await this.prisma.federatedIdentity.findUnique({ where: { id } }))?.userId ?? null;
  }
}
