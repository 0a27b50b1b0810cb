import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { KeyStretching } from './opaque-pool';

export interface StoredRecord {
  record: string;
  keyStretching: KeyStretching;
}

/** OPAQUE records (instead of password hashes) and the server setup. */
@Injectable()
export class OpaqueRecordsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(userId: string): Promise<StoredRecord | null> {
    const row = await this.prisma.opaqueRecord.findUnique({ where: { userId } });
    return row ? { record: row.record, keyStretching: row.keyStretching as unknown as KeyStretching } : null;
  }

  /** The record replaces whatever the user had: the argon2id hash goes in the same transaction (no hash is kept). */
  async save(userId: string, record: string, keyStretching: KeyStretching, at: Date): Promise<void> {
    const data = { record, keyStretching: { ...keyStretching }, createdAt: at };
    await this.prisma.$transaction([
      this.prisma.opaqueRecord.upsert({ where: { userId }, create: { userId, ...data }, update: data }),
      this.prisma.credential.deleteMany({ where: { userId } }),
    ]);
  }

  /** An argon2id hash becomes a record only if the hash is still the one that was checked (a password set meanwhile wins). */
  async migrate(userId: string, previousHash: string, record: string, keyStretching: KeyStretching, at: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.credential.deleteMany({ where: { userId, passwordHash: previousHash } });
      if (count !== 1) return false;
      const data = { record, keyStretching: { ...keyStretching }, createdAt: at };
      await tx.opaqueRecord.upsert({ where: { userId }, create: { userId, ...data }, update: data });
      return true;
    });
  }

  async deleteOf(userId: string): Promise<void> {
    await this.prisma.opaqueRecord.deleteMany({ where: { userId } });
  }

  /** The stored setup, or `made` stored now; of two replicas starting at once, the first one's wins. */
  async setup(made: string, at: Date): Promise<string> {
    await this.prisma.opaqueServerSetup.createMany({ data: [{ id: 1, setup: made, createdAt: at }], skipDuplicates: true });
    return (await this.prisma.opaqueServerSetup.findUniqueOrThrow({ where: { id: 1 } })).setup;
  }
}
