import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { Domain, IsoDate, Uuid } from '../common/schemas';
import { AuditOutcomes, AuditTypes } from './audit-types';

export const AuditSubjects = {
  list: 'auth.audit.list',
  record: 'auth.audit.record',
  settingsGet: 'auth.audit-settings.get',
  settingsSet: 'auth.audit-settings.set',
} as const;

export { AuditOutcomes, AuditTypes };
export const AuditType = z.enum(AuditTypes);
export type AuditType = z.infer<typeof AuditType>;

export const AuditOutcome = z.enum(AuditOutcomes);

/** One audit row as administrators and webhook receivers see it. */
export const AuditEntry = z.object({
  id: Uuid,
  type: z.string(),
  outcome: z.string(),
  userId: Uuid.nullable(),
  login: z.string().nullable(),
  ip: z.string().nullable(),
  domain: Domain.nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  at: IsoDate,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Days audit rows are kept before the sweep deletes them (seed-free default: a year). */
export const AUDIT_RETENTION_DEFAULT_DAYS = 365;
export const AuditSettings = z.object({ retentionDays: z.number().int().min(1).max(3650) }).strict();
export type AuditSettings = z.infer<typeof AuditSettings>;

/**
 * Filters of GET /admin/audit. `user` is a user id or a login as typed; `from`/`to` bound the time
 * (inclusive, exclusive). `domain`: installation administrators may narrow to one domain; domain
 * administrators always see only their own.
 */
export const AuditQuery = z
  .object({
    user: z.string().min(1).max(320).optional(),
    type: AuditType.optional(),
    outcome: AuditOutcome.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    domain: Domain.optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditListReq = z.object({ actor: Actor, query: AuditQuery }).strict();
export const AuditListRes = z.object({
  items: z.array(AuditEntry),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});
export type AuditListRes = z.infer<typeof AuditListRes>;

/**
 * An administrator's change, recorded by auth for the gateway, which alone knows the acting admin
 * of every /admin route. `changes` holds the request's fields with secret values replaced by `"(set)"`.
 */
export const AuditRecordReq = z
  .object({
    actor: Actor,
    type: z.literal('admin.change'),
    outcome: z.enum(['changed', 'refused', 'failure']),
    domain: Domain.nullable(),
    ip: z.string().max(100).optional(),
    details: z
      .object({
        route: z.string().max(200),
        target: z.record(z.string(), z.string().max(320)),
        changes: z.record(z.string(), z.unknown()),
        error: z.string().max(100).optional(),
      })
      .strict(),
  })
  .strict();
export const AuditRecordRes = z.object({ id: Uuid.nullable() });

export const AuditSettingsGetReq = z.object({ actor: Actor }).strict();
export const AuditSettingsSetReq = z.object({ actor: Actor, settings: AuditSettings }).strict();
export const AuditSettingsRes = z.object({ settings: AuditSettings });

/** Field names whose values never reach an audit row or a webhook. */
export const SECRET_FIELD = /(password|secret|token|proof|^key|apikey|privatekey)$/i;

/** The fields of an admin request as the audit keeps them: secret values become `"(set)"`, nested objects likewise. */
export function redactForAudit(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' && value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (depth > 4) return '(…)';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactForAudit(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([field, inner]) => [
      field,
      SECRET_FIELD.test(field) ? (inner === null || inner === '' ? '(cleared)' : '(set)') : redactForAudit(inner, depth + 1),
    ]),
  );
}

export const auditContract = {
  [AuditSubjects.list]: request(AuditListReq, AuditListRes),
  [AuditSubjects.record]: request(AuditRecordReq, AuditRecordRes),
  [AuditSubjects.settingsGet]: request(AuditSettingsGetReq, AuditSettingsRes),
  [AuditSubjects.settingsSet]: request(AuditSettingsSetReq, AuditSettingsRes),
};
