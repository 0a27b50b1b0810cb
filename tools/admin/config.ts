import { z } from 'zod';
import { Env, baseEnv, loadConfig } from '@gatehouse/config';

/** The operator command reads what the services read to find NATS, plus where a new password may come from. */
export const adminCliConfigSchema = z.object({
  NATS_URL: baseEnv.NATS_URL,
  NATS_REQUEST_TIMEOUT_MS: baseEnv.NATS_REQUEST_TIMEOUT_MS,
  GATEHOUSE_DOMAIN: baseEnv.GATEHOUSE_DOMAIN,
  /** A password chosen by the operator for create-admin / reset-password (never on the command line, where `ps` shows it). */
  GATEHOUSE_NEW_PASSWORD: z.string().min(1).optional(),
});
export type AdminCliConfig = z.infer<typeof adminCliConfigSchema>;

export const loadAdminCliConfig = (env: Env = process.env): AdminCliConfig => loadConfig(adminCliConfigSchema, env);
