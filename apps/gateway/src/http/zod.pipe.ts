import { PipeTransform } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import type { z } from 'zod';

/** Validates a body, query or param against a contract schema; unknown fields are refused. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new AppError('unknown_field', `unknown field: ${issue.keys.join(', ')}`, { fields: issue.keys });
    }
    const field = issue.path.join('.');
    throw new AppError('validation_failed', field ? `${field}: ${issue.message}` : issue.message, field ? { field } : undefined);
  }
}
