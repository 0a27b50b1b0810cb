import { z } from 'zod';
import { Env, baseEnv, databaseEnv, loadConfig, redisEnv } from '@gatehouse/config';

export const sessionsConfigSchema = z.object({ ...baseEnv, ...databaseEnv, ...redisEnv });
export type SessionsConfig = z.infer<typeof sessionsConfigSchema>;

export const loadSessionsConfig = (env: Env = process.env): SessionsConfig => loadConfig(sessionsConfigSchema, env);
