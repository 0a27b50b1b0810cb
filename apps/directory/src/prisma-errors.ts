import { Prisma } from '@gatehouse/db';
import { AppError } from '@gatehouse/errors';

export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/**
 * A grant written for an app or template that was deleted after the change was checked (the two
 * raced): 409 with a code, not a 500 from the foreign key. Anything else is thrown as it came.
 */
export function rethrowDeletedMeanwhile(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') {
    throw new AppError('conflict', 'An app or template in this change was deleted meanwhile; load it again and retry');
  }
  throw error;
}
