import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { OAuthFlow as FlowRow } from '@gatehouse/db';

export type { FlowRow };

@Injectable()
export class OAuth2FlowsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(flow: Omit<FlowRow, 'createdAt'>): Promise<FlowRow> {
    return this.prisma.oAuthFlow.create({ data: flow });
  }

  /** Deleting is what makes a state single use: of two concurrent callbacks only one gets the row. */
  async take(stateHash: string): Promise<FlowRow | null> {
    try {
      return await this.prisma.oAuthFlow.delete({ where: { stateHash } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return null;
      throw error;
    }
  }

  deleteExpired(now: Date): Promise<Prisma.BatchPayload> {
    return this.prisma.oAuthFlow.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
