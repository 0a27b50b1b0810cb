import { z } from 'zod';
import { Env, baseEnv, databaseEnv, encryptionEnv, loadConfig, outboundEnv } from '@gatehouse/config';

export const federationConfigSchema = z.object({ ...baseEnv, ...databaseEnv, ...encryptionEnv, ...outboundEnv });
export type FederationConfig = z.infer<typeof federationConfigSchema>;

export const loadFederationConfig = (env: Env = process.env): FederationConfig => loadConfig(federationConfigSchema, env);
