import { randomUUID } from 'node:crypto';
import type { NewPendingLogin, PendingLogin, PendingLoginsRepository } from '../approvals/pending-logins.repository';

/**
 * PendingLoginsRepository in memory, with the same conditional updates (the int and e2e tests hold
 * the real one to them): a change of state happens only from the state it names, so of two deciders one wins.
 */
export class InMemoryPendingLogins {
  readonly rows = new Map<string, PendingLogin>();

  async create(data: NewPendingLogin): Promise<PendingLogin> {
    const row = {
      id: randomUUID(),
      status: 'pending',
      wrongCodes: 0,
      decidedAt: null,
      emailTokenUsed: false,
      emailTokenHash: null,
      subid: null,
      ...data,
      createdAt: new Date(data.createdAt),
      expiresAt: new Date(data.expiresAt),
    } as PendingLogin;
    this.rows.set(row.id, row);
    return { ...row };
  }

  async find(id: string): Promise<PendingLogin | null> {
    return this.copy(this.rows.get(id));
  }

  async findOfUser(userId: string, id: string): Promise<PendingLogin | null> {
    const row = this.rows.get(id);
    return this.copy(row?.userId === userId ? row : undefined);
  }

  async findByEmailToken(emailTokenHash: string): Promise<PendingLogin | null> {
    return this.copy([...this.rows.values()].find((row) => row.emailTokenHash === emailTokenHash));
  }

  async waitingOf(userId: string, now: Date): Promise<PendingLogin[]> {
    return [...this.rows.values()].filter((r) => r.userId === userId && r.status === 'pending' && r.expiresAt > now).map((r) => ({ ...r }));
  }

  async decide(id: string, status: 'approved' | 'rejected' | 'cancelled', now: Date, viaEmailTokenHash?: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'pending' || row.expiresAt <= now) return false;
    if (viaEmailTokenHash && (row.emailTokenHash !== viaEmailTokenHash || row.emailTokenUsed)) return false;
    Object.assign(row, { status, decidedAt: now, ...(viaEmailTokenHash ? { emailTokenUsed: true } : {}) });
    return true;
  }

  async claim(id: string, now: Date): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'approved' || row.expiresAt <= now) return false;
    row.status = 'completed';
    return true;
  }

  async unclaim(id: string): Promise<void> {
    const row = this.rows.get(id);
    if (row?.status === 'completed') row.status = 'approved';
  }

  async countWrongCode(id: string): Promise<number> {
    const row = this.rows.get(id)!;
    row.wrongCodes += 1;
    return row.wrongCodes;
  }

  async countWaiting(now: Date): Promise<number> {
    return [...this.rows.values()].filter((r) => r.status === 'pending' && r.expiresAt > now).length;
  }

  async deleteEndedBefore(cutoff: Date): Promise<number> {
    const ended = [...this.rows.values()].filter((r) => r.expiresAt < cutoff);
    for (const row of ended) this.rows.delete(row.id);
    return ended.length;
  }

  get repository(): PendingLoginsRepository {
    return this as unknown as PendingLoginsRepository;
  }

  private copy(row: PendingLogin | undefined): PendingLogin | null {
    return row ? { ...row } : null;
  }
}
