import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { User as UserRow } from '@gatehouse/db';

export type { UserRow };

export interface NewUser {
  domain: string;
  username: string;
  email?: string;
  displayName?: string;
  language?: string;
  admin?: boolean;
  external?: boolean;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(userId: string): Promise<UserRow | null> {
    return this.prisma.user.findUnique({ where: { id: userId } });
  }

  findByName(domain: string, username: string): Promise<UserRow | null> {
    return this.prisma.user.findFirst({ where: { domain, username: { equals: username, mode: 'insensitive' } } });
  }

  /** Emails are not unique across domains; a login by email must name exactly one user. */
  findByEmail(email: string): Promise<UserRow[]> {
    return this.prisma.user.findMany({ where: { email: { equals: email, mode: 'insensitive' } }, take: 2 });
  }

  /** Returns null when the name is taken in that domain. */
  async create(user: NewUser): Promise<UserRow | null> {
    try {
      return await this.prisma.user.create({ data: user });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  /** Returns the deleted row, or null when there was none. */
  async delete(userId: string): Promise<UserRow | null> {
    const rows = await this.prisma.user.findMany({ where: { id: userId }, take: 1 });
    if (rows.length === 0) return null;
    const { count } = await this.prisma.user.deleteMany({ where: { id: userId } });
    return count === 1 ? rows[0] : null;
  }
}
