import { z } from 'zod';
import { Env, baseEnv, databaseEnv, loadConfig, redisEnv } from '@gatehouse/config';

export const authConfigSchema = z.object({ ...baseEnv, ...databaseEnv, ...redisEnv });
export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = (env: Env = process.env): AuthConfig => loadConfig(authConfigSchema, env);
