import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { Passkey } from '@gatehouse/db';

export type { Passkey };

export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  name: string;
  backedUp: boolean;
  createdAt: Date;
}

/** Passkeys (public keys and signature counters) and the single-use WebAuthn challenges. */
@Injectable()
export class PasskeysRepository {
  constructor(private readonly prisma: PrismaClient) {}

  add(passkey: NewPasskey): Promise<Passkey> {
    return this.prisma.passkey.create({
      data: { ...passkey, publicKey: Buffer.from(passkey.publicKey), counter: BigInt(passkey.counter) },
    });
  }

  listOf(userId: string): Promise<Passkey[]> {
    return this.prisma.passkey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }

  byCredentialId(credentialId: string): Promise<Passkey | null> {
    return this.prisma.passkey.findUnique({ where: { credentialId } });
  }

  async remove(userId: string, passkeyId: string): Promise<boolean> {
    return (await this.prisma.passkey.deleteMany({ where: { id: passkeyId, userId } })).count === 1;
  }

  removeAllOf(userId: string): Promise<unknown> {
    return this.prisma.passkey.deleteMany({ where: { userId } });
  }

  /**
   * Moves the counter forward and records the use, only if no answer with this counter or a higher
   * one was taken meanwhile (two parallel answers of a clone cannot both pass).
   */
  async recordUse(id: string, previousCounter: bigint, counter: number, at: Date): Promise<boolean> {
    const advance = counter === 0 && previousCounter === 0n ? {} : { counter: { lt: BigInt(counter) } };
    const { count } = await this.prisma.passkey.updateMany({
      where: { id, ...advance },
      data: { counter: BigInt(counter), lastUsedAt: at },
    });
    return count === 1;
  }

  async addChallenge(row: { purpose: string; userId: string | null; challenge: string; expiresAt: Date }): Promise<string> {
    return (await this.prisma.webauthnChallenge.create({ data: row, select: { id: true } })).id;
  }

  /** Takes a challenge once: the delete is the claim, so a replayed answer finds nothing. */
  async takeChallenge(id: string): Promise<{ purpose: string; userId: string | null; challenge: string; expiresAt: Date } | null> {
    const [row] = await this.prisma.webauthnChallenge.findMany({ where: { id }, take: 1 });
    if (!row) return null;
    const { count } = await this.prisma.webauthnChallenge.deleteMany({ where: { id } });
    return count === 1 ? row : null;
  }

  async deleteExpiredChallenges(now: Date): Promise<number> {
    return (await this.prisma.webauthnChallenge.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  }
}
