import { z } from 'zod';
import { Env, baseEnv, databaseEnv, encryptionEnv, loadConfig } from '@gatehouse/config';

export const directoryConfigSchema = z.object({ ...baseEnv, ...databaseEnv, ...encryptionEnv });
export type DirectoryConfig = z.infer<typeof directoryConfigSchema>;

export const loadDirectoryConfig = (env: Env = process.env): DirectoryConfig => loadConfig(directoryConfigSchema, env);
