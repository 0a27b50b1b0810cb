import { z } from 'zod';

export const ServiceNames = ['auth', 'sessions', 'directory', 'federation', 'mailer'] as const;
export type ServiceName = (typeof ServiceNames)[number];

export const CheckStatus = z.enum(['up', 'down']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const HealthPingReq = z.object({}).strict();
/** What a service says of itself and of the servers it depends on. */
export const HealthPingRes = z.object({
  service: z.enum(ServiceNames),
  status: CheckStatus,
  checks: z.record(z.string(), CheckStatus),
});
export type HealthPingRes = z.infer<typeof HealthPingRes>;

export const healthSubject = <S extends ServiceName>(service: S) => `${service}.health.ping` as const;
