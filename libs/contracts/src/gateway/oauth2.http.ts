import { z } from 'zod';

/** GET /auth/oauth2/start?returnTo= : where the client wants to land after the provider login. */
export const OAuth2StartQuery = z.object({ returnTo: z.string().min(1).max(2048) });
export type OAuth2StartQuery = z.infer<typeof OAuth2StartQuery>;
