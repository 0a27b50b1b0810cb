import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';

/** Counts of wrong Windows passwords Gatehouse has bound, per account; one row per account. */
@Injectable()
export class BadPasswordsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Takes one attempt if fewer than `max` failures fall within the window (an older count starts
   * again at one). One UPDATE on a locked row, so parallel logins cannot both take the last attempt.
   * Returns false, with when the window ends, when there is none left.
   */
  async reserve(account: string, max: number, now: Date, windowMs: number): Promise<{ taken: true } | { taken: false; retryAt: Date }> {
    const cutoff = new Date(now.getTime() - windowMs);
    await this.prisma.$executeRaw`
      INSERT INTO federation."NetlogonBadPassword" (account, failures, "lastFailureAt") VALUES (${account}, 0, ${cutoff})
      ON CONFLICT (account) DO NOTHING`;
    const taken = await this.prisma.$executeRaw`
      UPDATE federation."NetlogonBadPassword"
      SET failures = CASE WHEN "lastFailureAt" <= ${cutoff} THEN 1 ELSE failures + 1 END, "lastFailureAt" = ${now}
      WHERE account = ${account} AND ("lastFailureAt" <= ${cutoff} OR failures < ${max})`;
    if (taken === 1) return { taken: true };
    const row = await this.prisma.netlogonBadPassword.findUnique({ where: { account } });
    return { taken: false, retryAt: new Date((row?.lastFailureAt.getTime() ?? now.getTime()) + windowMs) };
  }

  /** The attempt did not test a password (the DC did not answer, or the password was right but the account refused). */
  async release(account: string): Promise<void> {
    await this.prisma
      .$executeRaw`UPDATE federation."NetlogonBadPassword" SET failures = GREATEST(failures - 1, 0) WHERE account = ${account}`;
  }

  /** A good password: AD sets badPwdCount back to 0, and so does Gatehouse. */
  async clear(account: string): Promise<void> {
    await this.prisma.netlogonBadPassword.deleteMany({ where: { account } });
  }
}
