import { z } from 'zod';
import { Env, baseEnv, databaseEnv, loadConfig, redisEnv } from '@gatehouse/config';

export const mailerConfigSchema = z.object({ ...baseEnv, ...databaseEnv, ...redisEnv });
export type MailerConfig = z.infer<typeof mailerConfigSchema>;

export const loadMailerConfig = (env: Env = process.env): MailerConfig => loadConfig(mailerConfigSchema, env);
